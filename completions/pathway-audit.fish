function __pathway-audit_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __pathway-audit_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __pathway-audit_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __pathway-audit_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __pathway-audit_parse_tokens -S
    set -l unparsed_tokens (__pathway-audit_tokens -pc)
    switch $unparsed_tokens[1]
    case 'pathway-audit'
        __pathway-audit_parse_subcommand 1 'pathways=+' 'summary' 'format=' 'group-by=' 'codelists=+' 'history=' 'check' 'threads=' 'as-of=' 'imd=' 'o/output=' 'rejects=' 'strict' 'q/quiet' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __pathway-audit_parse_subcommand -r 1 'version'
        end
    end
end

function __pathway-audit_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __pathway-audit_parse_subcommand -S -a positional_count
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

function __pathway-audit_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __pathway-audit_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__pathway-audit_tokens -p)
    if test -z "$(__pathway-audit_tokens -t)"
        set -l index (count (__pathway-audit_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'pathway-audit' -f
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_positional "pathway-audit" -eq 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'jsonl\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit"' -l 'pathways' -d 'A pathway definition (YAML), or a folder of them; repeat for more.' -rfa '(set -l exts \'yaml\' \'yml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit" summary' -l 'summary' -d 'Write the compliance per step and outcome per group instead of the records.'
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit" format' -l 'format' -d 'With --summary: jsonl or csv.' -rfka 'jsonl csv'
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit" group-by' -l 'group-by' -d 'With --summary: one row set per practice, team or value of any field path.' -rfka ''
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit"' -l 'codelists' -d 'A folder of code lists (OpenCodelists CSV files, NAME.csv) that codelist("NAME") may name; its lists replace a pathway folder\'s own of the same name. Repeat for more.' -rfa '(__pathway-audit_complete_directories)'
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit" history' -l 'history' -d 'Read, then rewrite, the days people entered the groups of pathways dated \'entered\' (the MDT-review pathway\'s high-risk group): give the same file every night.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit" check' -l 'check' -d 'Only check the definitions, then exit.'
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit" threads' -l 'threads' -d 'Threads auditing at once (output is the same whatever the number).' -rfka ''
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit" as-of' -l 'as-of' -d 'Compute as on DATE (YYYY-MM-DD); default today. Same input and date give byte-identical output.' -rfka ''
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit" imd' -l 'imd' -d 'Deprivation for imd_decile, imd_quintile and core20 from this CSV (the layout of the English Indices of Deprivation, File 1: LSOA code, IMD rank, IMD decile; e.g. the 2025 indices on 2021 LSOAs) instead of the bundled IMD 2019 (MHCLG; Open Government Licence v3.0).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit" o output' -s 'o' -l 'output' -d 'Write to FILE (atomically: a temporary file, then rename) instead of standard output.' -rfka ''
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit" rejects' -l 'rejects' -d 'Write each rejected record to FILE as a JSON line (source, line, field, reason).' -rfka ''
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit" strict' -l 'strict' -d 'Stop at the first rejected record (exit 65).'
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on standard error but errors.'
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit" version' -l 'version' -d 'Show the version.'
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_positional "pathway-audit" -eq 2' -fa 'help' -d 'Show subcommand help information.'
complete -c 'pathway-audit' -n '__pathway-audit_should_offer_completions_for_flags_or_options "pathway-audit help" version' -l 'version' -d 'Show the version.'
