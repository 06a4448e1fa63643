/**
 * The bash completion script. It hands the words up to the cursor to `aws-runas __complete` and keeps each line's
 * text before the tab (bash shows no descriptions). `-o default` lets bash complete file names where aws-runas offers
 * nothing, e.g. the command run with the credentials. Written for bash 3.2 too (macOS): no mapfile.
 */
export const BASH_COMPLETION = `# bash completion for aws-runas
# This shell only:  source <(aws-runas completion bash)
# Every new shell:  add that line to ~/.bashrc, or save the output as
#                   ~/.local/share/bash-completion/completions/aws-runas
_aws_runas_complete() {
    local line
    local -a words
    words=("\${COMP_WORDS[@]:1:COMP_CWORD}")
    COMPREPLY=()
    while IFS= read -r line; do
        [ -n "$line" ] && COMPREPLY+=("\${line%%$'\\t'*}")
    done < <(aws-runas __complete -- "\${words[@]}" 2>/dev/null)
}
complete -o default -F _aws_runas_complete aws-runas
`;
