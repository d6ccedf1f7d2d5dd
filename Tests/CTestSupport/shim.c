// The shims are static inline functions in include/CTestSupport.h.
