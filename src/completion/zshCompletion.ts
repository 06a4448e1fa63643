/**
 * The zsh completion script, usable both ways zsh loads completions: sourced (it registers itself with compdef) or
 * saved as `_aws-runas` in a directory of $fpath (autoloaded, it runs itself). Candidates come from
 * `aws-runas __complete` as `value<TAB>description` and are shown with their descriptions through _describe; where
 * aws-runas offers nothing, file names are completed.
 */
export const ZSH_COMPLETION = `#compdef aws-runas
# zsh completion for aws-runas
# This shell only:  source <(aws-runas completion zsh)     (after compinit)
# Every new shell:  aws-runas completion zsh > "\${fpath[1]}/_aws-runas"
#                   (any directory of $fpath), then start a new shell

_aws-runas() {
    local -a lines candidates
    local line value desc
    lines=("\${(@f)$(aws-runas __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
    for line in "\${lines[@]}"; do
        [[ -z "$line" ]] && continue
        value="\${line%%$'\\t'*}"
        desc=""
        [[ "$line" == *$'\\t'* ]] && desc="\${line#*$'\\t'}"
        value="\${value//:/\\\\:}"
        if [[ -n "$desc" ]]; then
            candidates+=("\${value}:\${desc}")
        else
            candidates+=("\${value}")
        fi
    done
    if (( \${#candidates} )); then
        _describe -t aws-runas 'aws-runas' candidates
    else
        _files
    fi
}

if [[ "\${funcstack[1]}" == "_aws-runas" ]]; then
    _aws-runas "$@"
else
    compdef _aws-runas aws-runas
fi
`;
