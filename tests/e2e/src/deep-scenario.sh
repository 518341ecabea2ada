#!/bin/sh
# The scenarios of deep.sh, run under fuss and in a kernel overlay mount:
#   sh deep-scenario.sh N   (M, N250 and PROBE in the environment)
# M is the mountpoint; the layers' real paths are 2 KB longer.

scenario_1() { # copy-up, create, rename, link and remove at depth
	cd "$M" || exit 1
	for i in 1 2 3 4 5 6 7 8 9 10; do cd "$N250$i" || echo "cd $i failed"; done
	echo "pwd $(pwd | wc -c) $(/bin/pwd -P | wc -c)"
	cat deepfile
	echo appended >> deepfile
	cat deepfile
	mkdir newdir && echo x > newdir/f && cat newdir/f
	mv newdir newdir2 && ls
	ln -s deepfile sl && readlink sl && cat sl
	ln deepfile hard && stat -c '%n %s %h' hard deepfile
	rm -r newdir2 gone
	stat -c '%n %s %h %F' deepfile sl
	ls -la . | awk 'NR > 1 { print $1, $NF }'
	find . | sort
	echo end
}

scenario_2() { # a 16-level tree made, entered, listed and removed
	cd "$M" || exit 1
	p=.
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
		p=$p/$N250$(printf '%02d' "$i")
	done
	mkdir -p "$p" && echo "made ${#p}"
	cd "$p" || exit 1
	echo "pwd $(pwd | wc -c) $(/bin/pwd -P | wc -c)"
	echo hello > f && cat f
	mkdir sub && touch sub/a sub/b && ls sub
	"$PROBE" open ./sub/c 'O_WRONLY|O_CREAT' 0600
	ls -l sub | awk 'NR > 1 { print $1, $NF }'
	cd "$M" || exit 1
	find . -name f | wc -l
	rm -rf "$(ls | head -1)" && echo removed
	ls "$M"
}

scenario_3() { # programs and a unix socket at depth
	cd "$M" || exit 1
	for i in 1 2 3 4 5 6 7 8 9 10; do cd "$N250$i" || exit 1; done
	./true-copy && echo "true ran"
	./script.sh | sed 's|/.*/||'
	python3 - <<-'EOF'
	import os, socket
	s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
	s.bind("sock")
	s.listen(1)
	c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
	c.connect("sock")
	a, _ = s.accept()
	c.sendall(b"ping")
	print("socket got", a.recv(4).decode())
	print("is socket", os.path.exists("sock"))
	EOF
	rm -f sock
}

scenario_4() { # another user follows the long paths
	cd "$M" || exit 1
	for i in 1 2 3 4 5 6 7 8 9 10; do cd "$N250$i" || exit 1; done
	setpriv --reuid=65534 --regid=65534 --clear-groups sh -c \
		'cat deepfile; ls | head -3; echo nope > deepfile'
	echo "status $?"
}

"scenario_$1"
