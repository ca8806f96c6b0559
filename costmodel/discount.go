package costmodel

// DiscountFactors returns the discount factor of each month of the last
// evaluation: month t's cash flow is worth DiscountFactors()[t] at the
// start of the first month (Excel's NPV convention: month 0 is discounted
// once). It is a view into r, valid until the next Eval.
func (r *FloatResult) DiscountFactors() []float64 {
	if r == nil {
		return nil
	}
	return r.df
}
