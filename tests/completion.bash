# Completes each line read from stdin with the bash completion file $1, as
# bash would at the end of the line, and prints the sorted replies on one
# line. Needs the bash-completion package's main script.
#   bash tests/completion.bash FILE <lines
. /usr/share/bash-completion/bash_completion || exit 1
. "$1" || exit 1
# Only valid while bash runs a completion for readline; a no-op here.
compopt() { :; }
# A command whose arguments complete to known words, for `fuss -- CMD`.
complete -W "alpha beta" fuss-test-cmd

# COMP_WORDS as readline splits the line: blanks separate words, and each
# run of = or : (in COMP_WORDBREAKS) is a word of its own.
split_line() {
	local rest=$1 w= c
	COMP_WORDS=()
	while [[ -n $rest ]]; do
		c=${rest:0:1}
		rest=${rest:1}
		case $c in
		' ') [[ -n $w ]] && COMP_WORDS+=("$w"); w= ;;
		[=:]) [[ -n $w && $w != [=:]* ]] && COMP_WORDS+=("$w") && w=; w+=$c ;;
		*) [[ $w == [=:]* ]] && COMP_WORDS+=("$w") && w=; w+=$c ;;
		esac
	done
	COMP_WORDS+=("$w")
}

while IFS= read -r line; do
	COMP_LINE=$line
	COMP_POINT=${#line}
	split_line "$line"
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_fuss fuss "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort -u | tr '\n' ' '
	echo
done
