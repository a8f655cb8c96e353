#compdef mdt-list

__mdt-list_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__mdt-list_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __mdt-list_complete "${completions[@]:0:-1}"
    fi
}

__mdt-list_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_mdt-list() {
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
    local -ar ___group_by=('practice' 'team')
    local -ar ___format=('jsonl' 'csv' 'markdown' 'html')
    local -ar arg_specs=(
        ':file:_files -g '\''*.jsonl'\'''
        '--where[Only people for whom EXPR holds (docs/expressions.md).]:expr:'
        '--rank-by[Fields to rank by, each \:desc (default) or \:asc; ties go by id.]:list:'
        '--group-by[One list per practice, team, or value of any field path.]:field:{__mdt-list_complete "${___group_by[@]}"}'
        '--top[People per group.]:n:'
        '--top-percent[Per cent of each group'\''s eligible people, rounded up (the risk-stratification "top 2 %").]:p:'
        '--teams[CSV of practice,team\[,meeting\]\: teams that span practices, and their meetings'\'' names.]:file:_files -g '\''*.csv'\'''
        '--exclusions[CSV of id,reason,until\: people left out up to and including that date.]:file:_files -g '\''*.csv'\'''
        '--title[A title for the selection, printed at the head of every list (the --where expression then goes in small print).]:text:'
        '*--codelists[A folder of code lists (OpenCodelists CSV files, NAME.csv) that --where may name\: code in codelist("NAME"). Repeat for more.]:dir:_files -/'
        '--opt-out[Ids or NHS numbers (one per line) left out of every list.]:file:_files'
        '--review-gap[After an mdt-review encounter, leave the person out for this long (like 90d, 12w, 3m).]:duration:'
        '--previous[The previous run'\''s JSON Lines list\: mark entries new or continuing and list who left, and why.]:file:_files -g '\''*.jsonl'\'''
        '--reidentify[CSV of pseudonym,nhs_number (from ingest-gp --pseudonym-map)\: show NHS numbers on lists of pseudonymised records.]:file:_files -g '\''*.csv'\'''
        '--format[jsonl, csv, markdown or html.]:format:{__mdt-list_complete "${___format[@]}"}'
        '--out-dir[Write one file per group and an index here (each atomically) instead of one stream.]:dir:_files -/'
        '--lock[Hold this lock file for the run (default with --out-dir\: DIR/.mdt-list.lock); a second run exits 75.]:file:_files'
        '*--field[Declare a field the records carry outside the schema, for --where, --rank-by and --group-by\: PATH\:TYPE, TYPE number, date, text, bool or category(a,b,c). Repeatable.]:path\:type:'
        '--min-people[Guard\: stop, writing nothing, when fewer people than this are read (an empty or broken extract).]:n:'
        '--max-left[Guard, with --previous\: stop, writing nothing, when more than this per cent of last night'\''s list (of 10 or more) would leave at once.]:percent:'
        '--threads[Threads choosing at once (the lists are the same whatever the number).]:n:'
        '--as-of[Compute as on DATE (YYYY-MM-DD); default today. Same input and date give byte-identical output.]:date:'
        '--imd[Deprivation for imd_decile, imd_quintile and core20 from this CSV (the layout of the English Indices of Deprivation, File 1\: LSOA code, IMD rank, IMD decile; e.g. the 2025 indices on 2021 LSOAs) instead of the bundled IMD 2019 (MHCLG; Open Government Licence v3.0).]:file:_files -g '\''*.csv'\'''
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
            "_mdt-list_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_mdt-list_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
        '--version[Show the version.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _mdt-list ]]; then
    _mdt-list "${@}"
else
    compdef _mdt-list mdt-list
fi
