function __mdt-list_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mdt-list_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mdt-list_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mdt-list_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mdt-list_parse_tokens -S
    set -l unparsed_tokens (__mdt-list_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mdt-list'
        __mdt-list_parse_subcommand 1 'where=' 'rank-by=' 'group-by=' 'top=' 'top-percent=' 'teams=' 'exclusions=' 'title=' 'codelists=+' 'opt-out=' 'review-gap=' 'previous=' 'reidentify=' 'format=' 'out-dir=' 'lock=' 'field=+' 'min-people=' 'max-left=' 'threads=' 'as-of=' 'imd=' 'o/output=' 'rejects=' 'strict' 'q/quiet' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __mdt-list_parse_subcommand -r 1 'version'
        end
    end
end

function __mdt-list_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mdt-list_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __mdt-list_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mdt-list_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mdt-list_tokens -p)
    if test -z "$(__mdt-list_tokens -t)"
        set -l index (count (__mdt-list_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mdt-list' -f
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_positional "mdt-list" -eq 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'jsonl\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" where' -l 'where' -d 'Only people for whom EXPR holds (docs/expressions.md).' -rfka ''
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" rank-by' -l 'rank-by' -d 'Fields to rank by, each :desc (default) or :asc; ties go by id.' -rfka ''
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" group-by' -l 'group-by' -d 'One list per practice, team, or value of any field path.' -rfka 'practice team'
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" top' -l 'top' -d 'People per group.' -rfka ''
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" top-percent' -l 'top-percent' -d 'Per cent of each group\'s eligible people, rounded up (the risk-stratification "top 2 %").' -rfka ''
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" teams' -l 'teams' -d 'CSV of practice,team[,meeting]: teams that span practices, and their meetings\' names.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" exclusions' -l 'exclusions' -d 'CSV of id,reason,until: people left out up to and including that date.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" title' -l 'title' -d 'A title for the selection, printed at the head of every list (the --where expression then goes in small print).' -rfka ''
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list"' -l 'codelists' -d 'A folder of code lists (OpenCodelists CSV files, NAME.csv) that --where may name: code in codelist("NAME"). Repeat for more.' -rfa '(__mdt-list_complete_directories)'
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" opt-out' -l 'opt-out' -d 'Ids or NHS numbers (one per line) left out of every list.' -rF
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" review-gap' -l 'review-gap' -d 'After an mdt-review encounter, leave the person out for this long (like 90d, 12w, 3m).' -rfka ''
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" previous' -l 'previous' -d 'The previous run\'s JSON Lines list: mark entries new or continuing and list who left, and why.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'jsonl\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" reidentify' -l 'reidentify' -d 'CSV of pseudonym,nhs_number (from ingest-gp --pseudonym-map): show NHS numbers on lists of pseudonymised records.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" format' -l 'format' -d 'jsonl, csv, markdown or html.' -rfka 'jsonl csv markdown html'
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" out-dir' -l 'out-dir' -d 'Write one file per group and an index here (each atomically) instead of one stream.' -rfa '(__mdt-list_complete_directories)'
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" lock' -l 'lock' -d 'Hold this lock file for the run (default with --out-dir: DIR/.mdt-list.lock); a second run exits 75.' -rF
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list"' -l 'field' -d 'Declare a field the records carry outside the schema, for --where, --rank-by and --group-by: PATH:TYPE, TYPE number, date, text, bool or category(a,b,c). Repeatable.' -rfka ''
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" min-people' -l 'min-people' -d 'Guard: stop, writing nothing, when fewer people than this are read (an empty or broken extract).' -rfka ''
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" max-left' -l 'max-left' -d 'Guard, with --previous: stop, writing nothing, when more than this per cent of last night\'s list (of 10 or more) would leave at once.' -rfka ''
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" threads' -l 'threads' -d 'Threads choosing at once (the lists are the same whatever the number).' -rfka ''
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" as-of' -l 'as-of' -d 'Compute as on DATE (YYYY-MM-DD); default today. Same input and date give byte-identical output.' -rfka ''
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" imd' -l 'imd' -d 'Deprivation for imd_decile, imd_quintile and core20 from this CSV (the layout of the English Indices of Deprivation, File 1: LSOA code, IMD rank, IMD decile; e.g. the 2025 indices on 2021 LSOAs) instead of the bundled IMD 2019 (MHCLG; Open Government Licence v3.0).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" o output' -s 'o' -l 'output' -d 'Write to FILE (atomically: a temporary file, then rename) instead of standard output.' -rfka ''
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" rejects' -l 'rejects' -d 'Write each rejected record to FILE as a JSON line (source, line, field, reason).' -rfka ''
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" strict' -l 'strict' -d 'Stop at the first rejected record (exit 65).'
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on standard error but errors.'
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" version' -l 'version' -d 'Show the version.'
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_positional "mdt-list" -eq 2' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mdt-list' -n '__mdt-list_should_offer_completions_for_flags_or_options "mdt-list help" version' -l 'version' -d 'Show the version.'
