# needs: python3
# Python tempfile, shutil.copytree/rmtree and an sqlite3 database in the
# overlay.
python3 - "$M" <<'PY'
import os, shutil, sqlite3, sys, tempfile
m = sys.argv[1]
shutil.copytree(m + "/merged", m + "/merged-copy")
print(sorted(os.listdir(m + "/merged-copy")))
shutil.rmtree(m + "/merged")
print(os.path.exists(m + "/merged"))
with tempfile.NamedTemporaryFile("w", dir=m + "/dir-l2only", delete=False) as t:
    t.write("temp")
    name = t.name
os.replace(name, m + "/dir-l2only/kept.txt")
with tempfile.TemporaryDirectory(dir=m) as d:
    open(os.path.join(d, "x"), "w").write("x")
db = sqlite3.connect(m + "/data.db")
db.execute("create table t (k integer primary key, v text)")
db.executemany("insert into t (v) values (?)", [(str(i),) for i in range(500)])
db.commit()
db.execute("update t set v = v || '!' where k % 7 = 0")
db.commit()
db.close()
db = sqlite3.connect(m + "/data.db")
print(db.execute("select count(*), sum(length(v)) from t").fetchone())
db.close()
print(sorted(os.listdir(m + "/dir-l2only")))
PY
