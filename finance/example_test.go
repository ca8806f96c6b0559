package finance_test

import (
	"fmt"
	"time"

	"github.com/marginalhq/marginal/finance"
	"github.com/shopspring/decimal"
)

func Example() {
	on := func(y int, m time.Month, d int, amount string) finance.DatedFlow {
		return finance.DatedFlow{Date: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), Amount: decimal.RequireFromString(amount)}
	}
	flows := []finance.DatedFlow{
		on(2008, 1, 1, "-10000"), on(2008, 3, 1, "2750"), on(2008, 10, 30, "4250"),
		on(2009, 2, 15, "3250"), on(2009, 4, 1, "2750"),
	}
	npv, _ := finance.XNPV(decimal.RequireFromString("0.09"), flows)
	irr, _ := finance.XIRR(flows, 0.1)
	fmt.Println(npv.StringFixed(2), fmt.Sprintf("%.6f", irr))

	two, _ := finance.IRR([]decimal.Decimal{decimal.NewFromInt(-100), decimal.NewFromInt(230), decimal.NewFromInt(-132)})
	fmt.Printf("%.4f unique=%v\n", two.Roots, two.Unique)
	// Output:
	// 2086.65 0.373363
	// [0.1000 0.2000] unique=false
}
