// Everything in CCrawlerLinux is a static inline function in include/CCrawlerLinux.h; this
// file makes it a C target (SwiftPM needs a source) and checks the header compiles as C.
#include "CCrawlerLinux.h"
