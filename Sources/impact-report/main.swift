import CareCommands

ImpactReport.main()
