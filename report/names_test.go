package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// collidingPortfolio is small.json with IDs that a careless defined-name
// rule merges: partnerships "a-b" and "a_b", in each the categories "x-y",
// "x_y" and "x--y", set-up items "s-1" and "s_1", maintenance "m-1" and
// "m_1". It validates, so it must write and read back.
func collidingPortfolio(t testing.TB) *costmodel.Portfolio {
	t.Helper()
	p := loadPortfolio(t, "small.json")
	// Portfolio.Clone copies deeply: one clone per copied part.
	var out []costmodel.Partnership
	for i, id := range []string{"a-b", "a_b"} {
		q := p.Clone().Partnerships[i] // the marketplace, then the shop
		q.ID, q.Name = id, "Partner "+id
		q.Categories = nil
		for k, cid := range []string{"x-y", "x_y", "x--y"} {
			c := p.Clone().Partnerships[i].Categories[0]
			c.ID = cid
			c.Orders = decimal.NewFromInt(int64(40 + 10*k + 5*i))
			q.Categories = append(q.Categories, c)
		}
		q.Setup = []costmodel.SetupItem{{ID: "s-1", Amount: decimal.NewFromInt(100)}, {ID: "s_1", Amount: decimal.NewFromInt(250)}}
		q.Maintenance = []costmodel.MaintenanceItem{{ID: "m-1", Monthly: decimal.NewFromInt(30)}, {ID: "m_1", Monthly: decimal.NewFromInt(70)}}
		out = append(out, q)
	}
	p.Partnerships = out
	if err := p.Validate(); err != nil {
		t.Fatalf("the colliding portfolio does not validate: %v", err)
	}
	return p
}

// IDs that differ only by '-' and '_' write a workbook whose formulas give
// the exact statement, and it reads back to the same portfolio. Before the
// defined-name rule was injective, Write failed: "a-b" and "a_b" both gave
// the name a_b.
func TestCollidingIDsWriteAndReadBack(t *testing.T) {
	t.Parallel()
	p := collidingPortfolio(t)
	pkg := writeBook(t, Options{Portfolio: p})
	back, err := ReadAssumptions(bytes.NewReader(pkg), p)
	if err != nil {
		t.Fatal(err)
	}
	if mustHash(t, back) != mustHash(t, p) {
		t.Error("the workbook reads back to a different portfolio")
	}
	// Each driver's cell has its own name, which inverts to its address.
	f := openBook(t, pkg)
	names := map[string]bool{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == monthlyRateNm || dn.Name == changedInputsName || strings.HasPrefix(dn.Name, "_xlnm.") {
			continue // not a driver's: no '.' (a driver's name always has one), or Excel's own
		}
		key := strings.ToLower(dn.Name)
		if names[key] {
			t.Errorf("defined name %s twice", dn.Name)
		}
		names[key] = true
		if addr, ok := driverAddress(dn.Name); !ok || addr != dn.Comment {
			t.Errorf("name %s (for %s) inverts to %q, %v", dn.Name, dn.Comment, addr, ok)
		}
	}
	// An edit reaches the driver it was made on, not its look-alike.
	edited := editAssumptions(t, pkg, map[string]any{"a-b/x-y/orders": 99})
	got, err := ReadAssumptions(bytes.NewReader(edited), p)
	if err != nil {
		t.Fatal(err)
	}
	for addr, want := range map[string]string{"a-b/x-y/orders": "99", "a-b/x_y/orders": "50", "a_b/x-y/orders": "45"} {
		if d, err := got.Driver(addr); err != nil || d.Value.String() != want {
			t.Errorf("%s = %v (%v), want %s", addr, d.Value, err, want)
		}
	}
}

// LibreOffice reads the ".." names and recalculates the colliding
// portfolio's workbook to its cached values.
func TestCollidingIDsLibreOffice(t *testing.T) {
	t.Parallel()
	pkg := writeBook(t, Options{Portfolio: collidingPortfolio(t)})
	checkLibreOfficeParity(t, pkg, halfCent)
}

// Swapping two address cells would move each value to the other driver
// while the workbook's formulas, which read the cells by name, kept them:
// ReadAssumptions refuses it, naming both cells.
func TestReadAssumptionsSwappedAddresses(t *testing.T) {
	t.Parallel()
	p := collidingPortfolio(t)
	pkg := writeBook(t, Options{Portfolio: p})
	f := openBook(t, pkg)
	a, b := assumptionCell(t, f, "a-b/x-y/orders"), assumptionCell(t, f, "a-b/x_y/orders")
	swap := func(cell, addr string) {
		// the address is in column A of the value cell's row
		row := strings.TrimLeft(cell, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
		if err := f.SetCellStr(SheetAssumptions, "A"+row, addr); err != nil {
			t.Fatal(err)
		}
	}
	swap(a, "a-b/x_y/orders")
	swap(b, "a-b/x-y/orders")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	_, err := ReadAssumptions(bytes.NewReader(buf.Bytes()), p)
	if err == nil {
		t.Fatal("swapped addresses read without an error")
	}
	for _, want := range []string{a, b, "defined name"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
