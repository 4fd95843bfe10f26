/*
 * runc's --preserve-fds N: the caller's descriptors 3..3+N-1 reach the container's process as its
 * 3..3+N-1, and no other descriptor does (CVE-2024-21626). Java hands them to the launcher after the
 * plan and report pipes, on PRESERVED_FD_FIRST.., and says how many with `--preserve-fds N`; the
 * monitor lets go of them once the init is cloned, the init moves them down before it closes the rest.
 */
#include "launcher.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Far more than any caller passes; keeps every number an int. */
#define PRESERVED_FDS_MAX 65536

static unsigned preserved;

int preserved_fds_parse(int argc, char **argv)
{
	if (argc < 2)
		return 0;
	if (argc != 3 || strcmp(argv[1], "--preserve-fds") != 0)
		return -1;
	char *end;
	unsigned long n = strtoul(argv[2], &end, 10);
	if (*end || end == argv[2] || n > PRESERVED_FDS_MAX)
		return -1;
	preserved = (unsigned)n;
	return 0;
}

unsigned preserved_fds_end_in_launcher(void)
{
	return PRESERVED_FD_FIRST + preserved;
}

void preserved_fds_release(void)
{
	for (unsigned i = 0; i < preserved; i++)
		close((int)(PRESERVED_FD_FIRST + i));
}

int preserved_fds_place(void)
{
	/* Upwards: each target is below its source, and at most a source already moved. dup2 clears
	 * close-on-exec, so they survive the exec of the user's program. */
	for (unsigned i = 0; i < preserved; i++)
		if (dup2((int)(PRESERVED_FD_FIRST + i), (int)(3 + i)) < 0)
			return -1;
	return 0;
}

unsigned preserved_fds_end(void)
{
	return 3 + preserved;
}
