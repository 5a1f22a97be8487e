/**
 * SECCOMP_RET_DATA of traps the engine needs for itself (clone's CLONE_UNTRACED
 * strip, clone3). Its own module so the tracer thread's handler does not load
 * the BPF compiler just for this number.
 */
export const ENGINE_TRACE_ID = 0;
