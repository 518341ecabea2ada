# needs: python3
# AF_UNIX sockets named by paths in the overlay: bind creates the socket in
# upper, connect reaches it, EADDRINUSE on an existing name, ENOENT on none.
cd "$M/merged"
python3 - "$M" <<'PY'
import os, socket, sys
m = sys.argv[1]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(m + "/merged/sock")
srv.listen(1)
cli = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
cli.connect("sock")             # relative to the cwd inside the overlay
conn, _ = srv.accept()
cli.sendall(b"ping")
print(conn.recv(4).decode())
for path in (m + "/merged/sock", m + "/shadow.txt"):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.bind(path)
    except OSError as e:
        print("bind", os.path.basename(path), e.errno == 98)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect(m + "/nothere")
except OSError as e:
    print("connect nothere", e.errno == 2)
PY
test -S "$M/merged/sock" && echo socket-present
rm "$M/merged/sock"
ls "$M/merged"
