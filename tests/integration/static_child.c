/* static_child: a statically linked program. It has no dynamic loader (no PT_INTERP), so no
 * LD_PRELOAD can put the probe into it. Exits with status 3, so that a test sees it ran. */
int main(void) {
    return 3;
}
