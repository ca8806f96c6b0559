package report

func (b *book) writeSummary() error       { return nil }
func (b *book) writeScenarios() error     { return nil }
func (b *book) writeSensitivity() error   { return nil }
func (b *book) writeRenegotiation() error { return nil }
func (b *book) writeAbout() error         { return nil }
