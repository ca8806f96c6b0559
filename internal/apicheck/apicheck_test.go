package apicheck

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestExported(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := `package p

type Outer struct {
	inner
	*Named
}
type inner struct{}
type Named struct{}
type gen[T any] struct{}
type Gen[T any] struct{}

func (inner) Promoted()      {}
func (*Named) Method()       {}
func (Gen[T]) Get() T        { var t T; return t }
func (gen[T]) Hidden()       {}
func (Outer) own()           {}
func Func()                  {}
func unexported()            {}
`
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "p_test.go"), []byte("package p\n\nfunc TestX() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Exported(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Func", "Gen.Get", "Named.Method", "Outer.Method", "Outer.Promoted"}
	if !slices.Equal(got, want) {
		t.Errorf("Exported = %v, want %v", got, want)
	}
	if _, err := Exported(t.TempDir()); err == nil {
		t.Error("an empty directory gave no error")
	}
}
