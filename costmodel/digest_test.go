package costmodel

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// capacityLines are the lines of capacity over plan (capacity.go) and of
// outages (outage.go), which came after the digests and golden files were
// written. (An outage credit can be 0 in one month and not in another: a
// row then shows it only where it is not 0, which keeps the texts
// deterministic.)
var capacityLines = map[Line]bool{LineFulfilmentOverflow: true, LineDataTransferOverage: true, LineAPIPremium: true, LineSupportOverflow: true,
	LineOutageLostContribution: true, LineOutageFallback: true, LineOutageCredit: true, LineOutageLostGMV: true, LineOutageImpact: true, LineOutageDowntime: true}

// omitCapacity reports whether the texts leave out line l of a block
// whose total of it is total: a capacity line that is zero over the
// horizon (each is a cost, ≥ 0 every month, so a zero total is zero
// months). Without a capacity the texts, and so the pinned digests, are
// what they were before those lines existed; with one they show them.
func omitCapacity(l Line, total decimal.Decimal) bool {
	return (capacityLines[l] || laneLines[l]) && total.IsZero()
}

// laneLines are the cross-border lines (Lane), which came after the
// digests too; each is a cost ≥ 0 every month, so omitted as the
// capacity lines are when zero over the horizon.
var laneLines = map[Line]bool{LineImportDuty: true, LineImportVAT: true, LineInternationalShipping: true, LineReturnShipping: true, LineFXFee: true}

// statementText renders every number of a statement exactly: every line
// of every month of every row and roll-up, the orders, the totals and the
// measures. Two statements with the same text are equal to the digit.
func statementText(st *Statement) []byte {
	var b bytes.Buffer
	block := func(who string, k *Block) {
		for m := range k.Monthly {
			fmt.Fprintf(&b, "%s\t%d\torders=%s", who, m, k.Orders[m])
			for _, l := range waterfallLines {
				if !omitCapacity(l, k.Total[l]) {
					fmt.Fprintf(&b, "\t%s", k.Monthly[m][l])
				}
			}
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s\ttotal", who)
		for _, l := range waterfallLines {
			if !omitCapacity(l, k.Total[l]) {
				fmt.Fprintf(&b, "\t%s", k.Total[l])
			}
		}
		b.WriteByte('\n')
	}
	measures := func(who string, m Measures) {
		fmt.Fprintf(&b, "%s\tmeasures\t%v %v %v %v %s %v %v %v %+v %v\n", who, m.CM1Ratio, m.CM2Ratio, m.CM3Ratio, m.ContributionRatio,
			m.NPV, m.IRRMonthly, m.IRRAnnual, m.IRRErr, m.Payback, m.BreakEvenOrders)
	}
	fmt.Fprintf(&b, "%s %s %d %s\n", st.Currency.Code, st.Start, st.Months, st.MonthlyRate)
	for _, ps := range st.Partnerships {
		for _, c := range ps.Categories {
			block(ps.ID+"/"+c.ID+" "+c.Name, &c.Block)
		}
		block(ps.ID+" own "+ps.Name+" "+ps.Channel, &ps.Own)
		block(ps.ID+" total", &ps.Total)
		measures(ps.ID, ps.Measures)
	}
	for _, r := range st.ByChannel {
		block("channel "+r.Key, &r.Block)
	}
	for _, r := range st.ByCategory {
		block("category "+r.Key, &r.Block)
	}
	block("partnership level", &st.PartnershipLevel)
	block("portfolio", &st.Portfolio)
	measures("portfolio", st.Measures)
	return b.Bytes()
}

// digestPortfolios are the portfolios whose statements are pinned by
// digest: the testdata, the variants and 300 random portfolios.
func digestPortfolios(t testing.TB) (names []string, ps []*Portfolio) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "*.json"))
	if err != nil || len(files) < 2 {
		t.Fatalf("testdata portfolios: %v %v", files, err)
	}
	for _, f := range files {
		names = append(names, filepath.Base(f))
		ps = append(ps, loadTestdata(t, filepath.Base(f)))
	}
	v := variants(t)
	for _, name := range []string{"larkspur+variants", "larkspur+variants, no orders", "larkspur+variants in JPY"} {
		names = append(names, name)
		ps = append(ps, v[name])
	}
	names = append(names, "adjusted")
	ps = append(ps, adjusted(t))
	for seed := range uint64(edgeSeeds + 100) {
		names = append(names, fmt.Sprintf("seed %d", seed))
		ps = append(ps, newGen(seed).portfolio())
	}
	return names, ps
}

const digestFile = "generated.statement.digests"

// TestStatementDigests pins the exact statement of every digest
// portfolio: the SHA-256 of its full text. The digests were written by
// the arithmetic that preceded the expression graph, and the graph
// reproduces them to the digit; a change in any digit of any line, month,
// roll-up or measure changes a digest. Rewrite them with -update only
// when a change of the numbers is intended (or the generator changes).
func TestStatementDigests(t *testing.T) {
	t.Parallel()
	names, ps := digestPortfolios(t)
	var got bytes.Buffer
	for i, p := range ps {
		st, err := Evaluate(p)
		if err != nil {
			t.Fatalf("%s: %v", names[i], err)
		}
		fmt.Fprintf(&got, "%x\t%s\n", sha256.Sum256(statementText(st)), names[i])
	}
	path := filepath.Join("..", "testdata", digestFile)
	if *update {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./costmodel -run Digests -update)", err)
	}
	if bytes.Equal(got.Bytes(), want) {
		return
	}
	wantLines := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(want))
	for sc.Scan() {
		if d, name, ok := strings.Cut(sc.Text(), "\t"); ok {
			wantLines[name] = d
		}
	}
	bad := 0
	sc = bufio.NewScanner(&got)
	for sc.Scan() {
		d, name, _ := strings.Cut(sc.Text(), "\t")
		if wantLines[name] != d {
			bad++
			if bad <= 10 {
				t.Errorf("%s: the statement differs from its digest in %s", name, digestFile)
			}
		}
	}
	t.Errorf("%d of %d statements differ; rerun with -update only if the change is intended", bad, len(ps))
}

// CheckDigests exposes the digest check to the external test package,
// for the benchmark portfolios (which internal/sample builds).
func CheckDigests(t *testing.T, file string, names []string, ps []*Portfolio) {
	t.Helper()
	var got bytes.Buffer
	for i, p := range ps {
		st, err := Evaluate(p)
		if err != nil {
			t.Fatalf("%s: %v", names[i], err)
		}
		fmt.Fprintf(&got, "%x\t%s\n", sha256.Sum256(statementText(st)), names[i])
	}
	path := filepath.Join("..", "testdata", file)
	if *update {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./costmodel -run Digests -update)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("statements differ from %s:\ngot\n%swant\n%s", file, got.Bytes(), want)
	}
}

// waterfallLines are the lines of the statement's waterfall (every level
// but LevelSides). The golden file and the digests pin them as the
// arithmetic before the model graph wrote them; the sides' lines came
// later and are checked against hand computations in sides_test.go.
var waterfallLines = func() []Line {
	var ls []Line
	for l := Line(0); l < NumLines; l++ {
		if l.Info().Level != LevelSides {
			ls = append(ls, l)
		}
	}
	return ls
}()
