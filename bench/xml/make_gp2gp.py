#!/usr/bin/env python3
"""Writes a large GP2GP-shaped file for bench/xml: many EhrExtracts (RCMR_IN030000UK06 shape)
under one wrapper element, each a test-range NHS number with consultations, blood pressure
batteries, Read v2 codes with SNOMED CT translations, problems (LinkSets), medication courses
and issues, referrals, recalls and free-text notes, in the proportions of the NHS sample extracts.

    python3 bench/xml/make_gp2gp.py MEGABYTES OUT.xml [SEED]
    python3 bench/xml/make_gp2gp.py 100 bench/out/gp2gp-100.xml --split DIR   (also one file per extract)
"""
import random
import sys

SNOMED = "2.16.840.1.113883.2.1.3.2.4.15"
READ2 = "2.16.840.1.113883.2.1.6.2"
EMIS = "2.16.840.1.113883.2.1.6.9"
CODES = [("G20..00", "59621000", "Essential hypertension"), ("C10E.00", "44054006", "Type 2 diabetes mellitus"),
         ("H33..00", "195967001", "Asthma"), ("G58..00", "84114007", "Heart failure"), ("16D..00", "161898004", "Falls"),
         ("1B1G.00", "271594007", "Syncope"), ("E2B..00", "35489007", "Depressive disorder"), ("N245.00", "57676002", "Arthralgia")]
DRUGS = [("318135007", "AMTA10805EMIS", "Amlodipine 5mg tablets"), ("322236009", "PACA35207EMIS", "Paracetamol 500mg tablets"),
         ("320031002", "ATTA18152EMIS", "Atorvastatin 40mg tablets"), ("317919004", "BETA2434EMIS", "Bendroflumethiazide 2.5mg tablets")]


def nhs_numbers(start=999000001):
    n = start
    while True:
        digits = [int(c) for c in str(n)]
        r = sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        c = 11 - r
        c = 0 if c == 11 else c
        if c != 10:
            yield f"{n}{c}"
        n += 1


def ts(rng, year_from=2005):
    return f"{rng.randint(year_from, 2024)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"


def uid(rng):
    return "%08X-%04X-%04X-%04X-%012X" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(48))


def observation(rng, out, date):
    read, sct, term = rng.choice(CODES)
    sid = uid(rng)
    center = f'<center value="{date}"/>' if rng.random() > 0.2 else '<center nullFlavor="NI"/>'
    out.append(f'''<component typeCode="COMP"><ObservationStatement classCode="OBS" moodCode="EVN"><id root="{sid}"/>
<code code="{read}" codeSystem="{READ2}" displayName="{term}"><translation code="{sct}" codeSystem="{SNOMED}" displayName="{term}"/></code>
<statusCode code="COMPLETE"/><effectiveTime>{center}</effectiveTime><availabilityTime value="{date}"/>
<pertinentInformation typeCode="PERT"><sequenceNumber value="+1"/><pertinentAnnotation classCode="OBS" moodCode="EVN"><text>Reviewed in clinic; plan discussed with patient and carer.</text></pertinentAnnotation></pertinentInformation>
</ObservationStatement></component>''')
    return sid


def battery(rng, out, date):
    out.append(f'''<component typeCode="COMP"><CompoundStatement classCode="BATTERY" moodCode="EVN"><id root="{uid(rng)}"/>
<code code="163020007" codeSystem="{SNOMED}" displayName="O/E - blood pressure reading"/><statusCode code="COMPLETE"/>
<effectiveTime><center value="{date}"/></effectiveTime><availabilityTime value="{date}"/>''')
    for code, term, lo, hi in [("271649006", "Systolic blood pressure", 110, 170), ("271650006", "Diastolic blood pressure", 60, 100)]:
        out.append(f'''<component typeCode="COMP"><ObservationStatement classCode="OBS" moodCode="EVN"><id root="{uid(rng)}"/>
<code code="{code}" codeSystem="{SNOMED}" displayName="{term}"/><statusCode code="COMPLETE"/>
<effectiveTime><center value="{date}"/></effectiveTime><availabilityTime value="{date}"/>
<value xsi:type="PQ" value="{rng.randint(lo, hi)}" unit="mm[Hg]"/></ObservationStatement></component>''')
    out.append('</CompoundStatement></component>')


def medication(rng, out, date):
    sct, emis, term = rng.choice(DRUGS)
    auth = uid(rng)
    material = f'''<consumable typeCode="CSM"><manufacturedProduct classCode="MANU"><manufacturedMaterial determinerCode="KIND" classCode="MMAT">
<code code="{sct}" codeSystem="{SNOMED}" displayName="{term}"><translation code="{emis}" codeSystem="{EMIS}" displayName="{term}"/></code>
</manufacturedMaterial></manufacturedProduct></consumable>'''
    out.append(f'''<component typeCode="COMP"><MedicationStatement classCode="SBADM" moodCode="INT"><id root="{uid(rng)}"/><statusCode code="ACTIVE"/>
<effectiveTime><low value="{date}"/></effectiveTime><availabilityTime value="{date}"/>{material}
<component typeCode="COMP"><ehrSupplyAuthorise classCode="SUPPLY" moodCode="INT"><id root="{auth}"/><statusCode code="ACTIVE"/>
<effectiveTime><low value="{date}"/></effectiveTime><repeatNumber value="6"/><quantity value="28" unit="1"><translation value="28"><originalText>tablet</originalText></translation></quantity></ehrSupplyAuthorise></component>
<pertinentInformation typeCode="PERT"><pertinentMedicationDosage classCode="SBADM" moodCode="RMD"><text>One to be taken each day</text></pertinentMedicationDosage></pertinentInformation>
</MedicationStatement></component>''')
    for _ in range(rng.randint(1, 3)):
        out.append(f'''<component typeCode="COMP"><MedicationStatement classCode="SBADM" moodCode="ORD"><id root="{uid(rng)}"/><statusCode code="COMPLETE"/>
<effectiveTime><center nullFlavor="NI"/></effectiveTime><availabilityTime value="{date}"/>{material}
<component typeCode="COMP"><ehrSupplyPrescribe classCode="SUPPLY" moodCode="RQO"><id root="{uid(rng)}"/><statusCode code="COMPLETE"/>
<availabilityTime value="{date}"/><inFulfillmentOf typeCode="FLFS"><priorMedicationRef moodCode="INT"><id root="{auth}"/></priorMedicationRef></inFulfillmentOf></ehrSupplyPrescribe></component>
</MedicationStatement></component>''')


def extract(rng, nhs):
    out = [f'''<RCMR_IN030000UK06 xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<id root="{uid(rng)}"/><creationTime value="20250110120000"/><interactionId root="2.16.840.1.113883.2.1.3.2.4.12" extension="RCMR_IN030000UK06"/>
<ControlActEvent classCode="CACT" moodCode="EVN"><subject typeCode="SUBJ" contextConductionInd="false"><EhrExtract classCode="EXTRACT" moodCode="EVN">
<id root="{uid(rng)}"/><statusCode code="COMPLETE"/><availabilityTime value="20250110120000"/>
<recordTarget typeCode="RCT"><patient classCode="PAT"><id root="2.16.840.1.113883.2.1.4.1" extension="{nhs}"/></patient></recordTarget>
<author typeCode="AUT"><time value="20250110120000"/><AgentOrgSDS classCode="AGNT"><agentOrganizationSDS classCode="ORG" determinerCode="INSTANCE"><id root="1.2.826.0.1285.0.1.10" extension="Y0{rng.randint(1000, 1099)}"/></agentOrganizationSDS></AgentOrgSDS></author>
<component typeCode="COMP"><ehrFolder classCode="FOLDER" moodCode="EVN"><id root="{uid(rng)}"/>
<responsibleParty typeCode="RESP"><agentDirectory classCode="AGNT"><part typeCode="PART"><Agent classCode="AGNT"><id root="{uid(rng)}"/>
<agentPerson classCode="PSN" determinerCode="INSTANCE"><name><prefix>Dr</prefix><given>Example</given><family>Clinician</family></name></agentPerson></Agent></part></agentDirectory></responsibleParty>''']
    named = []
    for _ in range(rng.randint(40, 110)):
        date = ts(rng)
        out.append(f'''<component typeCode="COMP"><ehrComposition classCode="COMPOSITION" moodCode="EVN"><id root="{uid(rng)}"/>
<code code="25671000000102" codeSystem="{SNOMED}" displayName="Surgery Consultation Note"/><statusCode code="COMPLETE"/>
<effectiveTime><center value="{date}"/></effectiveTime><availabilityTime value="{date}"/>
<author typeCode="AUT" contextControlCode="OP"><time value="{date}"/><agentRef classCode="AGNT"><id root="{uid(rng)}"/></agentRef></author>''')
        r = rng.random()
        if r < 0.35:
            battery(rng, out, date)
            named.append(observation(rng, out, date))
        elif r < 0.55:
            medication(rng, out, date)
        elif r < 0.65:
            out.append(f'''<component typeCode="COMP"><RequestStatement classCode="OBS" moodCode="RQO"><id root="{uid(rng)}"/>
<code code="8H4..00" codeSystem="{READ2}" displayName="Referral to specialist"><translation code="306206005" codeSystem="{SNOMED}"/></code>
<statusCode code="COMPLETE"/><effectiveTime><center nullFlavor="NI"/></effectiveTime><availabilityTime value="{date}"/></RequestStatement></component>''')
        else:
            named.append(observation(rng, out, date))
        out.append(f'''<component typeCode="COMP"><NarrativeStatement classCode="OBS" moodCode="EVN"><id root="{uid(rng)}"/>
<text>Seen with daughter. Feeling better since last visit; sleeping well; review in three months.</text><statusCode code="COMPLETE"/><availabilityTime value="{date}"/></NarrativeStatement></component>''')
        if named and rng.random() < 0.08:
            out.append(f'''<component typeCode="COMP"><LinkSet classCode="OBS" moodCode="EVN"><id root="{uid(rng)}"/>
<code code="394774009" codeSystem="{SNOMED}" displayName="Active Problem"><qualifier inverted="false"><name code="386134007" codeSystem="{SNOMED}"/></qualifier></code>
<statusCode code="COMPLETE"/><effectiveTime><low value="{date}"/></effectiveTime><availabilityTime value="{date}"/>
<conditionNamed typeCode="NAME" inversionInd="true"><namedStatementRef classCode="OBS" moodCode="EVN"><id root="{rng.choice(named)}"/></namedStatementRef></conditionNamed></LinkSet></component>''')
        out.append('</ehrComposition></component>')
    out.append('</ehrFolder></component></EhrExtract></subject></ControlActEvent></RCMR_IN030000UK06>\n')
    return "".join(out)


def main():
    megabytes, path = int(sys.argv[1]), sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 and not sys.argv[3].startswith("--") else 42
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else None
    rng = random.Random(seed)
    numbers = nhs_numbers()
    limit = megabytes * 1_000_000
    written = extracts = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<EhrExtracts>\n')
        while written < limit:
            text = extract(rng, next(numbers))
            f.write(text)
            if split:
                with open(f"{split}/extract-{extracts:06d}.xml", "w", encoding="utf-8") as one:
                    one.write('<?xml version="1.0" encoding="UTF-8"?>\n' + text)
            written += len(text)
            extracts += 1
        f.write("</EhrExtracts>\n")
    print(f"{extracts} extracts, {written / 1e6:.0f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
