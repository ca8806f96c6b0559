// Package finance holds the cash-flow timing functions a finance director
// checks a partnership's budget with, each with the convention of the
// spreadsheet function of the same name:
//
//   - [XNPV] and [XIRR]: dated flows discounted by actual days over 365
//     from the first flow's date (Excel's XNPV and XIRR);
//   - [MIRR]: the modified IRR with a finance and a reinvestment rate;
//   - [NPV]: a periodic NPV whose first flow is at t = 0 ([AtZero]) or at
//     the end of the first period ([EndOfFirstPeriod], Excel's NPV);
//   - [IRR]: every rate in (−100 %, +∞) at which the NPV of periodic flows
//     changes sign, with the policy for choosing one stated on [IRRResult];
//   - [PaybackMonth]: the payback period counted from 0 or from 1.
//
// Money (flows, present values) is decimal.Decimal; a rate that is solved
// for (XIRR, IRR, MIRR) is a float64 found to a stated tolerance, since it
// is a root of a polynomial and not an amount of money. The functions of
// costmodel (NPV, IRR, PaybackMonth) keep their own signatures for the
// monthly statement; NPV here calls costmodel.NPV.
//
// Every function is safe for concurrent use and never panics: nil or
// empty input gives the documented empty result or an error.
package finance
