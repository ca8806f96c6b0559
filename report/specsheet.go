package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// SheetSpecs is the hidden sheet on which a workbook records what its
// computed figures were made from (Options.Specs): the portfolio, the
// scenarios, guardrails, uncertainty, run settings, tornado and
// renegotiation, each as the JSON the loaders read. ReadReview reads it
// back, so that an edited workbook alone is enough to write the same
// review again on the edited Assumptions.
const SheetSpecs = "Specs"

// Specs is what a review's computed figures are made from, besides the
// portfolio: Compute runs them, Options.Specs records them on the hidden
// Specs sheet, ReadReview reads them back. Every part is optional; a part
// left out is not computed (and its sheet says it was not run).
type Specs struct {
	// Scenarios are compared with the base case (the Scenarios sheet).
	Scenarios []scenario.Scenario `json:"scenarios,omitempty"`
	// Guardrails are checked on the base case and every scenario (the
	// Guardrails sheet) and, with Uncertainty, in every trial.
	Guardrails scenario.Guardrails `json:"guardrails,omitempty"`
	// Uncertainty is the Monte Carlo spec; nil skips the simulation.
	Uncertainty *montecarlo.Spec `json:"uncertainty,omitempty"`
	// Trials and Seed of the Monte Carlo run: Trials from 2 to
	// montecarlo.MaxTrials, Seed 1 or more; 0 takes the uncertainty
	// spec's run settings. Compute records the counts it ran with.
	Trials int    `json:"trials,omitempty"`
	Seed   uint64 `json:"seed,omitempty"`
	// Fans are the amounts whose month-by-month cumulative path the
	// simulation keeps (the fan chart).
	Fans []scenario.Output `json:"fans,omitempty"`
	// Tornado is the one-at-a-time sensitivity (the Sensitivity sheet).
	Tornado *TornadoSpec `json:"tornado,omitempty"`
	// Renegotiation is the two-sided analysis of one partnership's terms
	// (the Renegotiation sheet); with a proposal and Uncertainty, current
	// and proposed terms are also simulated on the same draws.
	Renegotiation *RenegotiationSpec `json:"renegotiation,omitempty"`
}

// TornadoSpec is a tornado: Output (the portfolio's contribution when
// zero) with each input moved to its low and high values in turn.
type TornadoSpec struct {
	Output scenario.Output  `json:"output,omitzero"`
	Inputs []scenario.Input `json:"inputs" required:"true"`
}

// RenegotiationSpec is a scenario.Negotiation as it is written in JSON.
type RenegotiationSpec struct {
	// Partnership is the ID of the partnership whose terms are discussed.
	Partnership string `json:"partnership" required:"true"`
	// Partner is the partner's cost to serve and no-deal outcome.
	Partner scenario.PartnerCosts `json:"partner,omitzero"`
	// OurNoDeal is our contribution over the horizon without the deal.
	OurNoDeal decimal.Decimal `json:"our_no_deal,omitzero"`
	// OurWeight is our bargaining power in [0, 1]; nil means 0.5.
	OurWeight *decimal.Decimal `json:"our_weight,omitempty"`
	// Proposed is the proposal as a scenario on the current terms.
	Proposed *scenario.Scenario `json:"proposed,omitempty"`
}

// Negotiation is the spec as scenario.Fairness takes it (the zero
// Negotiation for a nil spec, which Fairness refuses).
func (r *RenegotiationSpec) Negotiation() scenario.Negotiation {
	if r == nil {
		return scenario.Negotiation{}
	}
	return scenario.Negotiation{Partnership: r.Partnership, Partner: r.Partner, OurNoDeal: r.OurNoDeal,
		OurWeight: r.OurWeight, Proposed: r.Proposed}
}

// specPart is one row of the Specs sheet: a part's name and its JSON.
type specPart struct {
	name string
	json []byte
}

// The parts, in the order of the sheet's rows. "scenarios" and
// "uncertainty" are the files the review command line takes with
// -scenarios and -uncertainty.
const (
	partPortfolio     = "portfolio"
	partScenarios     = "scenarios"
	partGuardrails    = "guardrails"
	partUncertainty   = "uncertainty"
	partRun           = "run"
	partTornado       = "tornado"
	partRenegotiation = "renegotiation"
)

// specRun is the "run" part.
type specRun struct {
	Trials int               `json:"trials,omitempty"`
	Seed   uint64            `json:"seed,omitempty"`
	Fans   []scenario.Output `json:"fans,omitempty"`
}

// parts encodes the specs and the portfolio as the sheet's rows.
func (s *Specs) parts(p *costmodel.Portfolio) ([]specPart, error) {
	var out []specPart
	add := func(name string, v any) error {
		data, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("report: record the %s on the %s sheet: %w", name, SheetSpecs, err)
		}
		out = append(out, specPart{name, data})
		return nil
	}
	if p != nil {
		var buf bytes.Buffer
		if err := p.Save(&buf); err != nil {
			return nil, err
		}
		out = append(out, specPart{partPortfolio, bytes.TrimSpace(buf.Bytes())})
	}
	var err error
	if len(s.Scenarios) > 0 {
		err = errors.Join(err, add(partScenarios, struct {
			Scenarios []scenario.Scenario `json:"scenarios"`
		}{s.Scenarios}))
	}
	if len(s.Guardrails) > 0 {
		err = errors.Join(err, add(partGuardrails, struct {
			Guardrails scenario.Guardrails `json:"guardrails"`
		}{s.Guardrails}))
	}
	if s.Uncertainty != nil {
		err = errors.Join(err, add(partUncertainty, s.Uncertainty))
	}
	if s.Trials != 0 || s.Seed != 0 || len(s.Fans) > 0 {
		err = errors.Join(err, add(partRun, specRun{s.Trials, s.Seed, s.Fans}))
	}
	if s.Tornado != nil {
		err = errors.Join(err, add(partTornado, s.Tornado))
	}
	if s.Renegotiation != nil {
		err = errors.Join(err, add(partRenegotiation, s.Renegotiation))
	}
	return out, err
}

// Validate checks the specs against the portfolio they run on, as the
// loaders check their files, every problem at once at its JSON path
// within its part ("scenarios: scenarios[0].shocks[1].target").
func (s *Specs) Validate(p *costmodel.Portfolio) error {
	if s == nil {
		return &costmodel.FieldError{Path: "(specs)", Expected: "specs, not nil"}
	}
	if p == nil {
		return errNoBase
	}
	parts, err := s.parts(nil)
	if err != nil {
		return err
	}
	_, err = decodeSpecs(parts, p, func(name string) string { return name })
	return err
}

// decodeSpecs reads the specs' parts with the loaders, checked against p;
// where names a part in an error (its cell on the sheet).
func decodeSpecs(parts []specPart, p *costmodel.Portfolio, where func(part string) string) (*Specs, error) {
	var pr costmodel.Problems
	merge := func(part string, err error) {
		list, ok := fieldErrors(err)
		if !ok {
			pr.Add(where(part), "", err.Error())
			return
		}
		for _, q := range list {
			path := where(part)
			if q.Path != "" && q.Path != "(file)" {
				path += ": " + q.Path
			}
			pr.Add(path, q.Value, q.Expected)
		}
	}
	s := &Specs{}
	var st *costmodel.Statement
	statement := func() (*costmodel.Statement, error) {
		if st == nil {
			var err error
			st, err = costmodel.Evaluate(p)
			return st, err
		}
		return st, nil
	}
	seen := map[string]bool{}
	for _, part := range parts {
		if seen[part.name] {
			pr.Add(where(part.name), "", "each part once (this one is recorded twice)")
			continue
		}
		seen[part.name] = true
		switch part.name {
		case partScenarios:
			ss, err := scenario.Load(bytes.NewReader(part.json), p)
			if err != nil {
				merge(part.name, err)
				continue
			}
			s.Scenarios = ss
		case partGuardrails:
			var g struct {
				Guardrails scenario.Guardrails `json:"guardrails" required:"true"`
			}
			if err := costmodel.DecodeStrict(part.json, &g); err != nil {
				merge(part.name, err)
				continue
			}
			st, err := statement()
			if err != nil {
				return nil, err
			}
			if err := g.Guardrails.Validate(st); err != nil {
				merge(part.name, err)
				continue
			}
			s.Guardrails = g.Guardrails
		case partUncertainty:
			u, err := montecarlo.Load(bytes.NewReader(part.json), p)
			if err != nil {
				merge(part.name, err)
				continue
			}
			s.Uncertainty = u
		case partRun:
			var r specRun
			if err := costmodel.DecodeStrict(part.json, &r); err != nil {
				merge(part.name, err)
				continue
			}
			if r.Trials != 0 && (r.Trials < 2 || r.Trials > montecarlo.MaxTrials) {
				pr.Add(where(part.name)+": trials", fmt.Sprint(r.Trials), fmt.Sprintf("2 to %d trials", montecarlo.MaxTrials))
			}
			s.Trials, s.Seed, s.Fans = r.Trials, r.Seed, r.Fans
		case partTornado:
			var t TornadoSpec
			if err := costmodel.DecodeStrict(part.json, &t); err != nil {
				merge(part.name, err)
				continue
			}
			if len(t.Inputs) == 0 {
				pr.Add(where(part.name)+": inputs", "", "at least one input to move")
			}
			for i, in := range t.Inputs {
				for _, v := range []decimal.Decimal{in.Low, in.High} {
					_, err := p.Clone().Update(in.Target, func(d costmodel.Driver) (decimal.Decimal, error) { return in.Op.Apply(d.Value, v) })
					if err != nil {
						merge(part.name, prefixed(fmt.Sprintf("inputs[%d]", i), err))
						break
					}
				}
			}
			s.Tornado = &t
		case partRenegotiation:
			var r RenegotiationSpec
			if err := costmodel.DecodeStrict(part.json, &r); err != nil {
				merge(part.name, err)
				continue
			}
			found := false
			for _, ps := range p.Partnerships {
				found = found || ps.ID == r.Partnership
			}
			if !found {
				pr.Add(where(part.name)+": partnership", fmt.Sprintf("%q", r.Partnership), "the ID of a partnership of the portfolio")
			} else if r.Proposed != nil {
				if _, err := r.Proposed.Apply(p); err != nil {
					merge(part.name, prefixed("proposed", err))
				}
			}
			s.Renegotiation = &r
		case partPortfolio:
			// read by ReadSpecs before the others
		default:
			pr.Add(where(part.name), fmt.Sprintf("%q", part.name), "a part Marginal records: "+strings.Join([]string{
				partPortfolio, partScenarios, partGuardrails, partUncertainty, partRun, partTornado, partRenegotiation}, ", "))
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// prefixed puts prefix before every path of a validation error.
func prefixed(prefix string, err error) error {
	var pr costmodel.Problems
	pr.Merge(prefix, err)
	return pr.Err()
}

// Layout of the Specs sheet: a note, a heading row, then one row per
// part: its name in column A, its JSON from column B on, split into
// pieces of at most specChunk characters (a cell holds at most 32,767)
// over as many columns as it needs.
const (
	specFirstRow = 3
	specChunk    = 32000
)

// writeSpecs writes the hidden Specs sheet when Options.Specs is set.
func (b *book) writeSpecs() error {
	if b.opt.Specs == nil {
		return nil
	}
	parts, err := b.opt.Specs.parts(b.p)
	if err != nil {
		return err
	}
	f, sh := b.f, SheetSpecs
	set := func(cell string, v any) {
		b.fail(f.SetCellValue(sh, cell, v))
	}
	set("A1", "What the computed figures of this workbook were made from, read back by the review command line (review -assumptions THIS-WORKBOOK.xlsx). Edit the Assumptions sheet, not this one.")
	set("A2", "Part")
	set("B2", "JSON (continued in the next cells of the row when long)")
	for i, part := range parts {
		row := specFirstRow + i
		set(ref(1, row), part.name)
		text := string(part.json)
		for c := 0; len(text) > 0; c++ {
			n := min(specChunk, len(text))
			// never split a UTF-8 sequence between two cells
			for n < len(text) && n > 0 && text[n]&0xC0 == 0x80 {
				n--
			}
			set(ref(2+c, row), text[:n])
			text = text[n:]
		}
	}
	return f.SetSheetVisible(sh, false)
}

// ErrNoSpecs is the error of ReadSpecs on a workbook without a Specs
// sheet (written without Options.Specs, or by an older version).
var ErrNoSpecs = errors.New("the workbook records no specs (it has no " + SheetSpecs + " sheet): give the portfolio and the spec files on the command line")

// ReadSpecs reads the Specs sheet of a workbook written with
// Options.Specs: the portfolio the workbook was written for (before any
// edit of its Assumptions; nil if the sheet does not record it) and the
// specs, checked against it. A workbook without the sheet gives an error
// wrapping ErrNoSpecs. A part that does not load (an edited or damaged
// sheet) is reported with its cell and JSON path, every problem at once:
//
//	Specs!B4 (scenarios): scenarios[0].shocks[0].value: got "abc", expected a number
func ReadSpecs(r io.Reader) (*costmodel.Portfolio, *Specs, error) {
	if r == nil {
		return nil, nil, &costmodel.FieldError{Path: "(workbook)", Expected: "a reader of the workbook, not nil"}
	}
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, nil, fmt.Errorf("report: open workbook: %w", err)
	}
	defer f.Close()
	return readSpecs(f)
}

func readSpecs(f *excelize.File) (*costmodel.Portfolio, *Specs, error) {
	if idx, err := f.GetSheetIndex(SheetSpecs); err != nil || idx < 0 {
		return nil, nil, ErrNoSpecs
	}
	rows, err := f.GetRows(SheetSpecs, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, nil, fmt.Errorf("report: read %s: %w", SheetSpecs, err)
	}
	var parts []specPart
	cellOf := map[string]string{}
	for i := specFirstRow - 1; i < len(rows); i++ {
		row := rows[i]
		if len(row) == 0 || strings.TrimSpace(row[0]) == "" {
			continue
		}
		name := strings.TrimSpace(row[0])
		parts = append(parts, specPart{name, []byte(strings.Join(row[1:], ""))})
		if _, dup := cellOf[name]; !dup {
			cellOf[name] = fmt.Sprintf("%s!%s", SheetSpecs, ref(2, i+1))
		}
	}
	where := func(part string) string { return fmt.Sprintf("%s (%s)", cellOf[part], part) }
	var p *costmodel.Portfolio
	for _, part := range parts {
		if part.name == partPortfolio {
			if p, err = costmodel.Load(bytes.NewReader(part.json)); err != nil {
				var pr costmodel.Problems
				pr.Merge(where(part.name), err)
				return nil, nil, pr.Err()
			}
			break
		}
	}
	if p == nil {
		return nil, nil, &costmodel.FieldError{Path: SheetSpecs + "!A:A", Expected: "a row \"portfolio\" with the portfolio the workbook was written for"}
	}
	s, err := decodeSpecs(parts, p, where)
	if err != nil {
		return nil, nil, err
	}
	return p, s, nil
}

// ReadReview reads what a review needs from a workbook written with
// Options.Specs and edited since: the portfolio recorded on its Specs
// sheet with the values of its Assumptions sheet (ReadAssumptions), and
// the specs, checked against the edited portfolio. base, when not nil,
// replaces the recorded portfolio as the one the Assumptions are read
// onto. Errors name the file, the cells and the addresses or JSON paths.
func ReadReview(path string, base *costmodel.Portfolio) (*costmodel.Portfolio, *Specs, error) {
	if path == "" {
		return nil, nil, &costmodel.FieldError{Path: "(workbook)", Expected: "the name of the workbook file, not empty"}
	}
	in, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer in.Close()
	f, err := excelize.OpenReader(in)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: report: open workbook: %w", path, err)
	}
	defer f.Close()
	recorded, s, err := readSpecs(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if base == nil {
		base = recorded
	}
	p, err := readAssumptions(f, base)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := s.Validate(p); err != nil {
		return nil, nil, fmt.Errorf("%s: the recorded specs do not fit the edited assumptions: %w", path, err)
	}
	return p, s, nil
}
