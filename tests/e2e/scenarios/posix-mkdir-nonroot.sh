# mkdir(2) as uid 1000: EACCES in root's 0755 dirs (merged, lower-only,
# deep lower chains) without copying any parent up; EEXIST still wins for
# a name that exists; a 0700 dir denies search; a sticky dir allows it.
# unpriv: skip switches to another user ($PROBE -U), which needs CAP_SETUID
t() { printf '%s: ' "$*"; "$PROBE" "$@"; }
t -U 1000 mkdir "$M/merged/new" 0755
t -U 1000 mkdir "$M/merged/sub" 0755
t -U 1000 mkdir "$M/dir-l2only/sub/new" 0755
t -U 1000 mkdir "$M/deep/a/b/c/d/e/f/new" 0755
t -U 1000 mkdir "$M/deep/a/b/c/d/e/f" 0755
t -U 1000 mkdir "$M/modes/closed/new" 0755
t -U 1000 mkdir "$M/modes/closed" 0755
t -U 1000 mkdir "$M/gone.txt" 0755
t -U 1000 mkdir "$M/modes/sticky/mine" 0750
t -U 1000 mkdir "$M/modes/sticky/mine/inner" 0755
t -U 1001 mkdir "$M/modes/sticky/mine/other" 0755
t statx-mask "$M/modes/sticky/mine" 'STATX_UID|STATX_GID|STATX_MODE' 0
t statx-mask "$M/modes/sticky/mine/inner" 'STATX_UID|STATX_GID|STATX_MODE' 0
