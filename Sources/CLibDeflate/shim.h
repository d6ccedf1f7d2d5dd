// libdeflate: one-shot DEFLATE/gzip compression of a whole buffer, about twice as fast as
// zlib at level 1 with smaller output. The WARC writer compresses each record as one gzip
// member, which is exactly the whole-buffer case libdeflate is built for.
#include <libdeflate.h>
