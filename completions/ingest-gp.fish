function __ingest-gp_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __ingest-gp_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __ingest-gp_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __ingest-gp_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __ingest-gp_parse_tokens -S
    set -l unparsed_tokens (__ingest-gp_tokens -pc)
    switch $unparsed_tokens[1]
    case 'ingest-gp'
        __ingest-gp_parse_subcommand -r 1 'format=' 'allow-empty' 'demographics=+' 'memory=' 'temp-dir=' 'pseudonymise=' 'pseudonym-map=' 'ethnicity-codes=' 'opt-out=' 'terms' 'mapping=' 'threads=' 'only=' 'o/output=' 'rejects=' 'strict' 'q/quiet' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __ingest-gp_parse_subcommand -r 1 'version'
        end
    end
end

function __ingest-gp_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __ingest-gp_parse_subcommand -S -a positional_count
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

function __ingest-gp_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __ingest-gp_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__ingest-gp_tokens -p)
    if test -z "$(__ingest-gp_tokens -t)"
        set -l index (count (__ingest-gp_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'ingest-gp' -f
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_positional "ingest-gp" -ge 1' -F
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" format preset' -l 'format' -l 'preset' -d 'Format of sources given without a FORMAT: prefix (--preset is the older name); without it, each such source\'s format is told from its content, and said.' -rfka 'synthea tables gp2gp fhir demographics'
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" allow-empty' -l 'allow-empty' -d 'Let a run emit nobody, or keep going when a source has every record rejected (otherwise exit 65, nothing written).'
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp"' -l 'demographics' -d 'A demographics CSV (nhs_number, date_of_birth, sex, practice, ...) completing people found in the sources; repeatable.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" memory' -l 'memory' -d 'Memory the grouping may use before spilling to disk (e.g. 64M, 1G).' -rfka ''
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" temp-dir' -l 'temp-dir' -d 'Folder for spilled runs (default: $TMPDIR or /tmp).' -rfa '(__ingest-gp_complete_directories)'
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" pseudonymise' -l 'pseudonymise' -d 'Replace NHS numbers by HMAC-SHA256 pseudonyms keyed by KEYFILE (mode 600, at least 32 bytes); nhs_number is dropped.' -rF
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" pseudonym-map' -l 'pseudonym-map' -d 'With --pseudonymise: also write a pseudonym,nhs_number CSV (mode 600) for re-identification where allowed.' -rfka ''
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" ethnicity-codes' -l 'ethnicity-codes' -d 'An OpenCodelists CSV of the codes GP entries record ethnicity with (code or snomedcode, and Grouping_16: 1-16), such as OpenSAFELY\'s ethnicity-snomed-0removed: the latest such entry sets the person\'s ethnicity.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" opt-out' -l 'opt-out' -d 'Leave out the people whose NHS numbers FILE lists (one per line); counted in the summary.' -rF
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" terms' -l 'terms' -d 'Keep each event\'s description as "term" where the source has one.'
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" mapping' -l 'mapping' -d 'Tables preset: a CSV of table,column,their_column giving the extract\'s own file and column names (docs/formats.md).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'csv\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" threads' -l 'threads' -d 'Tables read at once, each on its own thread (output is the same whatever the number).' -rfka ''
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" only' -l 'only' -d 'Read only these tables of CSV table folders (with every patients table): comma-separated names (clinical_events, medications, apcs, ec, opa, social_care) or groups (gp, hospital, social-care). Records say which tables they hold (tables_read), and programs that need others refuse them.' -rfka ''
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" o output' -s 'o' -l 'output' -d 'Write to FILE (atomically: a temporary file, then rename) instead of standard output.' -rfka ''
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" rejects' -l 'rejects' -d 'Write each rejected record to FILE as a JSON line (source, line, field, reason).' -rfka ''
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" strict' -l 'strict' -d 'Stop at the first rejected record (exit 65).'
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" q quiet' -s 'q' -l 'quiet' -d 'Print nothing on standard error but errors.'
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" version' -l 'version' -d 'Show the version.'
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_positional "ingest-gp" -eq 2' -fa 'help' -d 'Show subcommand help information.'
complete -c 'ingest-gp' -n '__ingest-gp_should_offer_completions_for_flags_or_options "ingest-gp help" version' -l 'version' -d 'Show the version.'
