#!/usr/bin/python3
"""Recalculate an .xlsx workbook in headless LibreOffice and print every
formula cell's recalculated result as JSON on stdout:

    {"Sheet": {"B7": {"value": 12.5, "text": "12.5", "error": 0}}, ...}

usage: recalc.py BOOK.xlsx
       recalc.py --serve

With --serve it reads one workbook path a line on stdin and answers each
with one line of JSON on stdout (the same object, or {"__error__": why}),
keeping one LibreOffice running until stdin closes: the tests recalculate
two dozen workbooks, and starting LibreOffice with a fresh profile costs
seconds each time.

Loading alone is not enough: LibreOffice may keep the cached values it
finds in the file (Tools > Options > Calc > Formula > "Recalculation on
file load"). The script therefore calls calculateAll() on the loaded
document, which recalculates every formula regardless of that setting.

It starts its own soffice with a throw-away user profile, talks to it over
a named pipe, and stops it at the end. Needs Debian's libreoffice-calc and
python3-uno. Exit status: 0 on success, 2 when LibreOffice cannot be
started or reached, 1 on any other failure.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid


def column_letters(index):
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def connect(pipe_name, deadline):
    import uno
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    url = "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe_name
    while True:
        try:
            return resolver.resolve(url)
        except Exception:
            if time.time() > deadline:
                return None
            time.sleep(0.2)


def prop(name, value):
    from com.sun.star.beans import PropertyValue
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def recalc(book, ctx):
    import uno
    from com.sun.star.sheet.CellFlags import FORMULA
    from com.sun.star.sheet.FormulaResult import ERROR as FORMULA_ERROR
    desktop = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", ctx)
    url = uno.systemPathToFileUrl(os.path.abspath(book))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
    if doc is None:
        raise RuntimeError("LibreOffice could not load " + book)
    try:
        doc.calculateAll()
        out = {}
        sheets = doc.getSheets()
        for i in range(sheets.getCount()):
            sheet = sheets.getByIndex(i)
            cells = {}
            # Whole blocks at a time: one UNO call per cell is slow
            # (a minute for 20,000 formulas), one per rectangle is not.
            ranges = sheet.queryContentCells(FORMULA)
            for a in ranges.getRangeAddresses():
                block = sheet.getCellRangeByPosition(
                    a.StartColumn, a.StartRow, a.EndColumn, a.EndRow)
                data = block.getDataArray()
                for r, row in enumerate(data):
                    for c, v in enumerate(row):
                        ref = column_letters(a.StartColumn + c) + str(a.StartRow + r + 1)
                        if isinstance(v, str):
                            cells[ref] = {"value": 0.0, "text": v, "error": 0}
                        else:
                            cells[ref] = {"value": v, "text": repr(v), "error": 0}
            # Error results, looked up cell by cell (there should be none).
            errors = sheet.queryFormulaCells(FORMULA_ERROR)
            enum = errors.getCells().createEnumeration()
            while enum.hasMoreElements():
                cell = enum.nextElement()
                addr = cell.getCellAddress()
                ref = column_letters(addr.Column) + str(addr.Row + 1)
                cells[ref] = {"value": None, "text": cell.getString(), "error": cell.getError()}
            out[sheet.getName()] = cells
        return out
    finally:
        doc.close(True)


def serve(ctx):
    for line in sys.stdin:
        book = line.rstrip("\n")
        if not book:
            continue
        try:
            out = recalc(book, ctx)
        except Exception as e:  # answer and go on; the caller fails its test
            out = {"__error__": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(out, sort_keys=True) + "\n")
        sys.stdout.flush()
    return 0


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 1
    book = sys.argv[1]
    profile = tempfile.mkdtemp(prefix="marginal-lo-")
    pipe_name = "marginal-" + uuid.uuid4().hex
    proc = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore",
         "--nodefault", "-env:UserInstallation=file://" + profile,
         "--accept=pipe,name=%s;urp;" % pipe_name],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    ctx = None
    try:
        ctx = connect(pipe_name, time.time() + 180)
        if ctx is None:
            print("recalc.py: could not reach LibreOffice", file=sys.stderr)
            return 2
        if book == "--serve":
            return serve(ctx)
        json.dump(recalc(book, ctx), sys.stdout, sort_keys=True)
        return 0
    finally:
        if ctx is not None:
            try:
                ctx.ServiceManager.createInstanceWithContext(
                    "com.sun.star.frame.Desktop", ctx).terminate()
            except Exception:
                pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        # soffice is a launcher: the office process it starts can outlive
        # it (and did, idle, 84 MB each, after a terminate under load).
        # Everything it started is in its own process group: end that.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
