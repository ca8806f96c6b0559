package report

// ChartRanges is chartRanges for the tests of package report_test: the
// chart reference check of TestChartRanges on any workbook.
var ChartRanges = chartRanges
