#!/usr/bin/env python3
"""What an analyst who knows SQL would run instead of the joinedup pipe: tonight's top N per
practice among people 65 and over, by the Hospital Frailty Risk Score, in DuckDB over the
extract's patients.csv and apcs.csv. Writes group,rank,id lines (ties by id, as mdt-list).

  top_hfrs.py EXTRACT_DIR HFRS_CSV AS_OF TOP OUT.csv

The rules are joinedup's (docs/models.md, docs/lists.md), written in SQL: age on AS_OF from the
birth date; alive on AS_OF; registered on AS_OF; HFRS from the ICD-10 diagnoses (primary and all,
split at | , ;) of admissions starting in the two years up to AS_OF, each code's first three
characters (after dropping '.', ' ', '-', upper-cased) scoring its points once.
"""
import sys
import duckdb

extract, weights, as_of, top, out = sys.argv[1:6]
con = duckdb.connect()
con.execute("SET threads TO 2")
sql = f"""
COPY (
WITH weights AS (
    SELECT code, CAST(round(points * 10) AS INTEGER) AS tenths
    FROM read_csv('{weights}', header = true, comment = '#', all_varchar = true,
                  columns = {{'code': 'VARCHAR', 'points': 'DOUBLE', 'description': 'VARCHAR'}})
),
people AS (
    SELECT nhs_number AS id, practice
    FROM read_csv('{extract}/patients.csv', header = true, all_varchar = true)
    WHERE (date_of_death IS NULL OR CAST(date_of_death AS DATE) > DATE '{as_of}')
      AND (registration_start_date IS NULL OR CAST(registration_start_date AS DATE) <= DATE '{as_of}')
      AND (registration_end_date IS NULL OR CAST(registration_end_date AS DATE) >= DATE '{as_of}')
      AND date_diff('year', CAST(date_of_birth AS DATE), DATE '{as_of}')
          - CASE WHEN strftime(CAST(date_of_birth AS DATE), '%m-%d') > strftime(DATE '{as_of}', '%m-%d') THEN 1 ELSE 0 END >= 65
),
diagnoses AS (
    SELECT DISTINCT nhs_number AS id,
           left(upper(replace(replace(replace(trim(code), '.', ''), ' ', ''), '-', '')), 3) AS category
    FROM (
        SELECT nhs_number, unnest(regexp_split_to_array(coalesce(primary_diagnosis, '') || '|' || coalesce(all_diagnoses, ''), '[|,;]')) AS code
        FROM read_csv('{extract}/apcs.csv', header = true, all_varchar = true)
        WHERE CAST(admission_date AS DATE) BETWEEN DATE '{as_of}' - INTERVAL 2 YEAR AND DATE '{as_of}'
    )
    WHERE length(replace(replace(replace(trim(code), '.', ''), ' ', ''), '-', '')) >= 3
),
scores AS (
    SELECT d.id, sum(w.tenths) AS tenths
    FROM diagnoses d JOIN weights w ON w.code = d.category
    GROUP BY d.id
),
ranked AS (
    SELECT p.practice AS "group", p.id, coalesce(s.tenths, 0) AS tenths,
           row_number() OVER (PARTITION BY p.practice ORDER BY coalesce(s.tenths, 0) DESC, p.id) AS rank
    FROM people p LEFT JOIN scores s ON s.id = p.id
)
SELECT "group", rank, id FROM ranked WHERE rank <= {int(top)} ORDER BY "group", rank
) TO '{out}' (HEADER false)
"""
con.execute(sql)
