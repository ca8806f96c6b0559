package sample

import "github.com/marginalhq/marginal/costmodel"

// BenchmarkCurrencies is Benchmark with its partnerships priced in three
// currencies: the first third in the portfolio's USD, the next in EUR
// (1.08 USD per EUR) and the rest in GBP (1.27 USD per GBP). Amounts keep
// Benchmark's numbers, read in each partnership's currency.
func BenchmarkCurrencies(partnerships, categories, months int) *costmodel.Portfolio {
	p := Benchmark(partnerships, categories, months)
	p.Name += " in USD, EUR and GBP"
	p.FX = []costmodel.FXRate{{Currency: "EUR", Rate: d("1.08")}, {Currency: "GBP", Rate: d("1.27")}}
	for i := range p.Partnerships {
		switch {
		case 3*i >= 2*partnerships:
			p.Partnerships[i].Currency = "GBP"
		case 3*i >= partnerships:
			p.Partnerships[i].Currency = "EUR"
		}
	}
	return p
}
