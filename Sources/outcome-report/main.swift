import CareCommands

OutcomeReport.main()
