# needs: git
# git clone of a local repository into the overlay, checkout of another
# branch, commit, gc; the repository is built first in the overlay itself.
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=t@example.invalid \
	GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=t@example.invalid \
	GIT_AUTHOR_DATE='2020-01-01T00:00:00Z' GIT_COMMITTER_DATE='2020-01-01T00:00:00Z'
cd "$M/proj"
git -c init.defaultBranch=main init -q .
git add .
git commit -q -m 'initial'
git checkout -q -b feature
echo 'int feature(void) { return 1; }' >feature.c
git add feature.c
git commit -q -m 'feature'
git checkout -q main
cd "$M"
git clone -q "$M/proj" clone
cd clone
git checkout -q feature
ls | wc -l
echo change >>main.c
git commit -q -am 'in the clone'
git log --oneline --all | wc -l
git gc -q
git count-objects -v | grep -E '^(count|in-pack|garbage)'
git fsck --no-progress 2>&1 | grep -v '^Checking' | wc -l
git status --short
rm -f .git/index "$M/proj/.git/index"
rm -rf .git/logs "$M/proj/.git/logs"
