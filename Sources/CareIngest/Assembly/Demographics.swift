import CareCore

/// What a patients-table row says about a person; carried through the grouping sort as JSON.
struct Demographics: Equatable {
    var nhsNumber: String?
    var birthDate: ISODate?
    var sex: String?
    var deathDate: ISODate?
    var practice: String?
    var team: String?
    var lsoa: String?
    var registrationStart: ISODate?
    var registrationEnd: ISODate?

    func write(to w: inout JSONWriter) {
        var p = Person(id: "")
        p.nhsNumber = nhsNumber; p.birthDate = birthDate; p.sex = sex; p.deathDate = deathDate
        p.practice = practice; p.team = team; p.lsoa = lsoa
        p.registrationStart = registrationStart; p.registrationEnd = registrationEnd
        p.write(to: &w)
    }

    init(nhsNumber: String? = nil, birthDate: ISODate? = nil, sex: String? = nil, deathDate: ISODate? = nil,
         practice: String? = nil, team: String? = nil, lsoa: String? = nil,
         registrationStart: ISODate? = nil, registrationEnd: ISODate? = nil) {
        self.nhsNumber = nhsNumber; self.birthDate = birthDate; self.sex = sex; self.deathDate = deathDate
        self.practice = practice; self.team = team; self.lsoa = lsoa
        self.registrationStart = registrationStart; self.registrationEnd = registrationEnd
    }

    init(json: UnsafeBufferPointer<UInt8>) throws(JSONError) {
        let p = try Person(jsonLine: json)
        self.init(nhsNumber: p.nhsNumber, birthDate: p.birthDate, sex: p.sex, deathDate: p.deathDate,
                  practice: p.practice, team: p.team, lsoa: p.lsoa,
                  registrationStart: p.registrationStart, registrationEnd: p.registrationEnd)
    }
}
