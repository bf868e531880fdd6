# bash completion for natlab. natlab itself answers (natlab __complete): the
# commands, options and choices come from its command-line definitions, and
# lab, node and NODE:IFACE names from the labs on this machine.
_natlab() {
    local cur prev words cword
    # NODE:IFACE is one word here, not two split at the colon.
    _init_completion -n : || return

    local IFS=$'\n'
    local -a answer
    answer=($("${words[0]}" __complete "${words[@]:1:cword}" 2>/dev/null))
    case ${answer[0]} in
    words)
        COMPREPLY=("${answer[@]:1}")
        __ltrim_colon_completions "$cur"
        ;;
    yaml) _filedir '@(yaml|yml)' ;;
    files) _filedir ;;
    dirs) _filedir -d ;;
    command\ *) _command_offset "${answer[0]#command }" ;;
    esac
} &&
    complete -F _natlab natlab
