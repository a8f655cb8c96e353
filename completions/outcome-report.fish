function __outcome-report_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __outcome-report_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __outcome-report_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __outcome-report_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __outcome-report_parse_tokens -S
    set -l unparsed_tokens (__outcome-report_tokens -pc)
    switch $unparsed_tokens[1]
    case 'outcome-report'
        __outcome-report_parse_subcommand -r 1 'merge' 'baseline=' 'period=' 'group-by=' 'format=' 'suppress-below=' 'no-suppression' 'targets=' 'unit-costs=' 'population=' 'spc-limits=' 'spc-run-length=' 'threads=' 'as-of=' 'imd=' 'o/output=' 'rejects=' 'strict' 'q/quiet' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __outcome-report_parse_subcommand -r 1 'version'
        end
    end
end

function __outcome-report_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __outcome-report_parse_subcommand -S -a positional_count
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

function __outcome-report_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __outcome-report_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__outcome-report_tokens -p)
    if test -z "$(__outcome-report_tokens -t)"
        set -l index (count (__outcome-report_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'outcome-report' -f
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_positional "outcome-report" -ge 1' -fa '(set -l exts \'jsonl\' \'tallies\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" merge' -l 'merge' -d 'Read tallies files (--format tallies) and report on them all, as one run on all their people would.'
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" baseline' -l 'baseline' -d 'The baseline: a financial year (2024-25 or FY2024) or FROM..TO dates.' -rfka ''
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" period' -l 'period' -d 'The period reported on, as --baseline.' -rfka ''
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" group-by' -l 'group-by' -d 'Compare practices, teams, or values of any field path (default: practice).' -rfka ''
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" format' -l 'format' -d 'html, markdown, csv, jsonl, or tallies (what the report adds up, to --merge).' -rfka 'html markdown csv jsonl tallies'
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" suppress-below' -l 'suppress-below' -d 'Suppress counts from 1 to N − 1 (default: 5).' -rfka ''
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" no-suppression' -l 'no-suppression' -d 'Turn disclosure control off (stamped into the output).'
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" targets' -l 'targets' -d 'CSV of metric,change_percent: progress of each against its target change from the baseline.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" unit-costs' -l 'unit-costs' -d 'CSV of item,cost (bed_day, care_home_week, ae_attendance, emergency_admission): an estimated cost difference.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" population' -l 'population' -d 'CSV of [group,][period,]age_band,population: population denominators by five-year band (0-4 … 90+) instead of the people in the stream.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" spc-limits' -l 'spc-limits' -d 'XmR process limits from every month (all, the default), or from the baseline months and then held (is the period different from before?).' -rfka 'all baseline'
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" spc-run-length' -l 'spc-run-length' -d 'Points in a run that signals a shift or a trend (Making Data Count: 7, the default).' -rfka ''
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" threads' -l 'threads' -d 'Threads reading at once (the report is the same whatever the number; default: 2).' -rfka ''
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" as-of' -l 'as-of' -d 'Compute as on DATE (YYYY-MM-DD); default today. Same input and date give byte-identical output.' -rfka ''
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" imd' -l 'imd' -d 'Deprivation for imd_decile, imd_quintile and core20 from this CSV (the layout of the English Indices of Deprivation, File 1: LSOA code, IMD rank, IMD decile; e.g. the 2025 indices on 2021 LSOAs) instead of the bundled IMD 2019 (MHCLG; Open Government Licence v3.0).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" o output' -s 'o' -l 'output' -d 'Write to FILE (atomically: a temporary file, then rename) instead of standard output.' -rfka ''
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" rejects' -l 'rejects' -d 'Write each rejected record to FILE as a JSON line (source, line, field, reason).' -rfka ''
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" strict' -l 'strict' -d 'Stop at the first rejected record (exit 65).'
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on standard error but errors.'
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" version' -l 'version' -d 'Show the version.'
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_positional "outcome-report" -eq 2' -fa 'help' -d 'Show subcommand help information.'
complete -c 'outcome-report' -n '__outcome-report_should_offer_completions_for_flags_or_options "outcome-report help" version' -l 'version' -d 'Show the version.'
