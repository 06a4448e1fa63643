/**
 * The fish completion script. fish reads `value<TAB>description` lines natively, so the candidates of
 * `aws-runas __complete` are used as they are. The cursor token is quoted so an empty one still counts as a word.
 */
export const FISH_COMPLETION = `# fish completion for aws-runas
# This shell only:  aws-runas completion fish | source
# Every new shell:  aws-runas completion fish > ~/.config/fish/completions/aws-runas.fish
function __aws_runas_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l current (commandline -ct)
    aws-runas __complete -- $words "$current" 2>/dev/null
end
complete -c aws-runas -f -a '(__aws_runas_complete)'
`;
