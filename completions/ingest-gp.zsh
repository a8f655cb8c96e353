#compdef ingest-gp

__ingest-gp_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__ingest-gp_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __ingest-gp_complete "${completions[@]:0:-1}"
    fi
}

__ingest-gp_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_ingest-gp() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar ___format=('synthea' 'tables' 'gp2gp' 'fhir' 'demographics')
    local -ar arg_specs=(
        '*:source:_files'
        '(--format --preset)'{--format,--preset}'[Format of sources given without a FORMAT\: prefix (--preset is the older name); without it, each such source'\''s format is told from its content, and said.]:format:{__ingest-gp_complete "${___format[@]}"}'
        '--allow-empty[Let a run emit nobody, or keep going when a source has every record rejected (otherwise exit 65, nothing written).]'
        '*--demographics[A demographics CSV (nhs_number, date_of_birth, sex, practice, ...) completing people found in the sources; repeatable.]:file:_files -g '\''*.csv'\'''
        '--memory[Memory the grouping may use before spilling to disk (e.g. 64M, 1G).]:size:'
        '--temp-dir[Folder for spilled runs (default\: $TMPDIR or /tmp).]:dir:_files -/'
        '--pseudonymise[Replace NHS numbers by HMAC-SHA256 pseudonyms keyed by KEYFILE (mode 600, at least 32 bytes); nhs_number is dropped.]:keyfile:_files'
        '--pseudonym-map[With --pseudonymise\: also write a pseudonym,nhs_number CSV (mode 600) for re-identification where allowed.]:file:'
        '--ethnicity-codes[An OpenCodelists CSV of the codes GP entries record ethnicity with (code or snomedcode, and Grouping_16\: 1-16), such as OpenSAFELY'\''s ethnicity-snomed-0removed\: the latest such entry sets the person'\''s ethnicity.]:file:_files -g '\''*.csv'\'''
        '--opt-out[Leave out the people whose NHS numbers FILE lists (one per line); counted in the summary.]:file:_files'
        '--terms[Keep each event'\''s description as "term" where the source has one.]'
        '--mapping[Tables preset\: a CSV of table,column,their_column giving the extract'\''s own file and column names (docs/formats.md).]:file:_files -g '\''*.csv'\'''
        '--threads[Tables read at once, each on its own thread (output is the same whatever the number).]:n:'
        '--only[Read only these tables of CSV table folders (with every patients table)\: comma-separated names (clinical_events, medications, apcs, ec, opa, social_care) or groups (gp, hospital, social-care). Records say which tables they hold (tables_read), and programs that need others refuse them.]:tables:'
        '(-o --output)'{-o,--output}'[Write to FILE (atomically\: a temporary file, then rename) instead of standard output.]:file:'
        '--rejects[Write each rejected record to FILE as a JSON line (source, line, field, reason).]:file:'
        '--strict[Stop at the first rejected record (exit 65).]'
        '(-q --quiet)'{-q,--quiet}'[Print nothing on standard error but errors.]'
        '--version[Show the version.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        help)
            "_ingest-gp_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_ingest-gp_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _ingest-gp ]]; then
    _ingest-gp "${@}"
else
    compdef _ingest-gp ingest-gp
fi
