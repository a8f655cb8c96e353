import CareCommands

PathwayAudit.main()
