# needs: git
# git init/add/commit/status in a lower directory.
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=t@example.invalid \
	GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=t@example.invalid \
	GIT_AUTHOR_DATE='2020-01-01T00:00:00Z' GIT_COMMITTER_DATE='2020-01-01T00:00:00Z'
cd "$M/proj"
git -c init.defaultBranch=main init -q .
git add .
git commit -q -m 'initial'
git log --oneline
git status --short
echo '/* edited */' >>part1.c
rm part9.c
git status --short
git diff --stat
git add -A
git commit -q -m 'second'
git log --oneline
git ls-files | wc -l
# The index holds inode numbers and times, which differ between runs.
rm .git/index
