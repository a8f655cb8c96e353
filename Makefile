# joinedup — the two set-up commands of the README, and the chores behind them.
SHELL := /bin/bash
SWIFT ?= swift
RELEASE := .build/release
PROGRAMS := ingest-gp synth-extract risk-score mdt-list pathway-audit outcome-report risk-model impact-report
# The bundled example extracts end on 2026-03-31: results are computed as on the next day.
AS_OF := 2026-04-01
OUT := out

.PHONY: demo pictures test fuzz deps build release generated bench-ingest bench-xml bench-risk bench-mdt bench-pathways bench-model bench-impact clean

## demo: install what is missing, build release, run the pipeline on the bundled example data
demo: deps release
	@mkdir -p $(OUT)
	$(RELEASE)/ingest-gp examples/data/ics/gp examples/data/ics/hospital examples/data/ics/council \
	    --rejects $(OUT)/rejects.jsonl -o $(OUT)/people.jsonl
	$(RELEASE)/ingest-gp gp2gp:examples/data/gp2gp fhir:examples/data/fhir --demographics examples/data/gp2gp-demographics.csv \
	    --rejects $(OUT)/gp-records-rejects.jsonl | $(RELEASE)/risk-score --as-of $(AS_OF) -q -o $(OUT)/gp-records.jsonl
	$(RELEASE)/risk-model $(OUT)/people.jsonl --as-of 2024-04-01 --validate-as-of 2025-04-01 --penalty 1 \
	    -o $(OUT)/admission-model.json --card $(OUT)/model-card.html
	$(RELEASE)/risk-score $(OUT)/people.jsonl --as-of $(AS_OF) -o $(OUT)/scored.jsonl
	$(RELEASE)/risk-score $(OUT)/people.jsonl --as-of $(AS_OF) --format csv -q -o $(OUT)/scores.csv
	$(RELEASE)/mdt-list $(OUT)/scored.jsonl --as-of $(AS_OF) --top 5 --format html --out-dir $(OUT)/mdt-lists \
	    --where 'age >= 65 and (risk.efi.category >= mild or risk.hfrs.score >= 5)' --rank-by risk.hfrs.score,risk.efi.score
	$(RELEASE)/pathway-audit $(OUT)/scored.jsonl --pathways examples/pathways --as-of $(AS_OF) --history $(OUT)/pathway-history.csv -o $(OUT)/audited.jsonl
	$(RELEASE)/pathway-audit $(OUT)/scored.jsonl --pathways examples/pathways --as-of $(AS_OF) --history $(OUT)/pathway-history.csv --summary --format csv -q -o $(OUT)/pathway-compliance.csv
	$(RELEASE)/outcome-report $(OUT)/audited.jsonl --as-of $(AS_OF) --targets examples/outcomes/targets.csv \
	    --unit-costs examples/outcomes/unit-costs.csv -o $(OUT)/outcome-report.html
	@echo "demo: one person per line in $(OUT)/people.jsonl ($$(wc -l < $(OUT)/people.jsonl) people; rejects in $(OUT)/rejects.jsonl)," \
	    "GP2GP and FHIR records joined and scored in $(OUT)/gp-records.jsonl," \
	    "risk scores in $(OUT)/scored.jsonl and $(OUT)/scores.csv, MDT agendas in $(OUT)/mdt-lists/index.html," \
	    "the admission model in $(OUT)/admission-model.json and its card $(OUT)/model-card.html," \
	    "pathway audits in $(OUT)/audited.jsonl and $(OUT)/pathway-compliance.csv, the outcome report in $(OUT)/outcome-report.html"

## pictures: print the demo's outcome report, a 10-person agenda, the model card and an impact report
## (on 20,000 generated people with a planted review) to A4 in headless chromium
## and copy their first pages into docs/ (docs/printing.md; needs chromium and poppler-utils)
pictures: demo
	$(RELEASE)/mdt-list $(OUT)/audited.jsonl --as-of $(AS_OF) --where 'age >= 65' --rank-by risk.hfrs.score,risk.efi.score --top 10 \
	    --title "Frailty and hospital use, 65 and over" --format html --out-dir $(OUT)/agenda-10 -q
	@mkdir -p $(OUT)/pages
	DPI=80 scripts/render-pages.sh $(OUT)/outcome-report.html $(OUT)/pages/outcome-report
	DPI=80 scripts/render-pages.sh $(OUT)/agenda-10/ZZ0001.html $(OUT)/pages/mdt-agenda
	DPI=80 scripts/render-pages.sh $(OUT)/model-card.html $(OUT)/pages/model-card
	$(RELEASE)/synth-extract --people 20000 --seed 3 --plant-mdt=-0.15 --plant-uptake 1 --out $(OUT)/planted -q
	$(RELEASE)/ingest-gp $(OUT)/planted -q | $(RELEASE)/risk-score --as-of $(AS_OF) -q -o $(OUT)/planted.jsonl
	$(RELEASE)/impact-report $(OUT)/planted.jsonl --intervention 'events where kind = "mdt-review"' --from 2024-04-01 --to 2025-03-31 \
	    --eligible 'age >= 65' --unit-costs examples/outcomes/unit-costs.csv -q -o $(OUT)/impact.html
	DPI=80 scripts/render-pages.sh $(OUT)/impact.html $(OUT)/pages/impact-report
	cp $(OUT)/pages/outcome-report-1.png $(OUT)/pages/outcome-report-2.png $(OUT)/pages/mdt-agenda-1.png $(OUT)/pages/model-card-1.png \
	    $(OUT)/pages/impact-report-1.png docs/

## test: build everything and run every test
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## fuzz: build the libFuzzer targets (Fuzz/) with address sanitizer and run each FUZZ_SECONDS (default 60)
FUZZ_SECONDS ?= 60
fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS)

## deps: the C libraries (Debian packages), installed only when missing
deps:
	@if ! dpkg -s libcsv-dev libxml2-dev >/dev/null 2>&1; then \
	    echo "installing libcsv-dev and libxml2-dev"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libcsv-dev libxml2-dev; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## generated: regenerate man pages and shell completions from the argument parsers (the plugin's
## SYNOPSIS names a "subcommand" and a "help" entry these programs do not have: both are cut)
generated: build
	$(SWIFT) package --disable-sandbox generate-manual
	@for p in $(PROGRAMS); do \
	    sed -e '/^\.Ar subcommand$$/d' -e '/^\.It Em help$$/,/^\.El$$/d' .build/plugins/GenerateManual/outputs/$$p/$$p.1 > man/$$p.1; \
	    for s in bash zsh fish; do .build/debug/$$p --generate-completion-script $$s > completions/$$p.$$s; done; \
	done
	@echo "regenerated man/ and completions/"

## bench-ingest: the ingest benchmark (bench/ingest/run.sh; PEOPLE=... to scale)
bench-ingest: release
	bench/ingest/run.sh

## bench-xml: the GP2GP XML ingest benchmark (bench/xml/run.sh; MB=... to scale)
bench-xml: release
	bench/xml/run.sh

## bench-risk: the risk-score benchmark (bench/risk/run.sh; PEOPLE=... to scale)
bench-risk: release
	bench/risk/run.sh

## bench-mdt: the mdt-list benchmark (bench/mdt/run.sh; PEOPLE=... to scale)
bench-mdt: release
	bench/mdt/run.sh

## bench-pathways: the pathway-audit benchmark (bench/pathways/run.sh; PEOPLE=... to scale)
bench-pathways: release
	bench/pathways/run.sh

## bench-model: risk-model's fit and validation, and what scoring the model adds to risk-score
## (bench/model/run.sh; PEOPLE=... to scale)
bench-model: release
	bench/model/run.sh

## bench-impact: impact-report on generated people with a planted review (bench/impact/run.sh; PEOPLE=... to scale)
bench-impact: release
	bench/impact/run.sh

clean:
	rm -rf .build $(OUT)
