import CareCommands

RiskScore.main()
