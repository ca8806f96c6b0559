// Package apicheck lists a package's exported API from its source, so a
// test can hold a table of cases (the nil- and zero-argument tests of
// every package) to the API and a new function cannot be forgotten.
package apicheck

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"slices"
	"strings"
)

// Exported lists the exported functions ("Evaluate") and the exported
// methods of exported types ("Portfolio.Validate") declared in the
// non-test Go files of the package in dir, including the methods an
// exported struct type gets from an embedded field declared in the same
// package (a nil pointer to the outer type reaches them too). The list is
// sorted; an error is returned when the directory cannot be parsed or
// holds no exported function at all (the walk would be broken).
func Exported(dir string) ([]string, error) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		return nil, err
	}
	var names []string
	methods := map[string][]string{}
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			for _, decl := range f.Decls {
				fd, ok := decl.(*ast.FuncDecl)
				if !ok || !fd.Name.IsExported() {
					continue
				}
				if fd.Recv == nil {
					names = append(names, fd.Name.Name)
					continue
				}
				if typ, ok := typeName(fd.Recv.List[0].Type); ok {
					methods[typ] = append(methods[typ], fd.Name.Name)
					if ast.IsExported(typ) {
						names = append(names, typ+"."+fd.Name.Name)
					}
				}
			}
		}
	}
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				ts, ok := n.(*ast.TypeSpec)
				if !ok || !ts.Name.IsExported() {
					return true
				}
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					return true
				}
				for _, fld := range st.Fields.List {
					if len(fld.Names) != 0 {
						continue
					}
					if emb, ok := typeName(fld.Type); ok {
						for _, m := range methods[emb] {
							if n := ts.Name.Name + "." + m; !slices.Contains(names, n) {
								names = append(names, n)
							}
						}
					}
				}
				return true
			})
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("apicheck: no exported function in %s", dir)
	}
	slices.Sort(names)
	return names, nil
}

// typeName is the name of a receiver or embedded type: T, *T, T[P], *T[P].
func typeName(e ast.Expr) (string, bool) {
	if star, ok := e.(*ast.StarExpr); ok {
		e = star.X
	}
	switch x := e.(type) {
	case *ast.IndexExpr:
		e = x.X
	case *ast.IndexListExpr:
		e = x.X
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return "", false
	}
	return id.Name, true
}
