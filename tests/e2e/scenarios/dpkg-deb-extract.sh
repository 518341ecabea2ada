# needs: dpkg-deb
# A Debian package built from files in the overlay, then unpacked with
# dpkg-deb -x into the overlay.
mkdir -p "$M/pkg/DEBIAN" "$M/pkg/usr/share/demo"
printf 'Package: demo\nVersion: 1.0\nArchitecture: all\nMaintainer: T <t@example.invalid>\nDescription: demo\n' >"$M/pkg/DEBIAN/control"
cp "$M/proj/"*.c "$M/pkg/usr/share/demo/"
ln -s main.c "$M/pkg/usr/share/demo/link.c"
SOURCE_DATE_EPOCH=1577836800 dpkg-deb --root-owner-group -Zgzip --build "$M/pkg" "$M/demo.deb" >/dev/null
dpkg-deb -c "$M/demo.deb" | awk '{print $1, $6, $7, $8}' | sort
dpkg-deb -x "$M/demo.deb" "$M/unpacked"
find "$M/unpacked" | sed "s|$M||" | sort
cmp "$M/unpacked/usr/share/demo/main.c" "$M/proj/main.c" && echo same
rm "$M/demo.deb"
