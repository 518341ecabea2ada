/* Prints its arguments and the first line of a file named by the last one:
 * a dynamically linked program for the exec scenarios. */
#include <stdio.h>

int main(int argc, char **argv)
{
	char line[128];

	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	if (argc > 1) {
		FILE *f = fopen(argv[argc - 1], "r");

		if (f && fgets(line, sizeof(line), f))
			printf("read: %s", line);
		if (f)
			fclose(f);
	}
	return 0;
}
