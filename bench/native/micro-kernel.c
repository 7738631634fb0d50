// What this machine gives the gemm's micro-kernel when a C compiler, not V8, generates the
// code: the 4x4 tile held by diagonals of wasm/kernels.wat ($micro), written with SSE2
// intrinsics (f64x2 multiplies and adds, separately rounded, no FMA), run on panels that
// stay in L1, in turns with the same f64x2 multiply + add peak loop as bench/simd-peak.ts.
// It prints the median, over 40 turns, of the kernel's GFLOPS over the mean of the peak
// readings just before and after it: the share of the peak that the same algorithm reaches
// in native code. A diagnostic for bench/RESULTS.md, not part of the library or the specs:
//
//   gcc -O2 -mavx2 -mno-fma -o /tmp/micro-kernel bench/native/micro-kernel.c && /tmp/micro-kernel
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define KC 256

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static double pa[4 * KC] __attribute__((aligned(64)));
static double pb[4 * KC] __attribute__((aligned(64)));
static double c[16] __attribute__((aligned(64)));

// C[4x4] += A panel (4 x kc) times B panel (kc x 4), diagonals as in $micro.
__attribute__((noinline)) static void micro(int kc, const double *a, const double *b, double *out) {
  __m128d c0 = _mm_setzero_pd(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  for (int p = 0; p < kc; p++, a += 4, b += 4) {
    __m128d b01 = _mm_load_pd(b), b23 = _mm_load_pd(b + 2);
    __m128d s01 = _mm_shuffle_pd(b01, b01, 1), s23 = _mm_shuffle_pd(b23, b23, 1);
    __m128d x = _mm_load_pd(a);
    c0 = _mm_add_pd(c0, _mm_mul_pd(x, b01));
    c1 = _mm_add_pd(c1, _mm_mul_pd(x, s01));
    c2 = _mm_add_pd(c2, _mm_mul_pd(x, b23));
    c3 = _mm_add_pd(c3, _mm_mul_pd(x, s23));
    x = _mm_load_pd(a + 2);
    c4 = _mm_add_pd(c4, _mm_mul_pd(x, b01));
    c5 = _mm_add_pd(c5, _mm_mul_pd(x, s01));
    c6 = _mm_add_pd(c6, _mm_mul_pd(x, b23));
    c7 = _mm_add_pd(c7, _mm_mul_pd(x, s23));
  }
  // The diagonals back into rows (row 0 = c0[0], c1[0], c2[0], c3[0], and so on).
  __m128d r[8] = {
      _mm_shuffle_pd(c0, c1, 0), _mm_shuffle_pd(c2, c3, 0), _mm_shuffle_pd(c1, c0, 3),
      _mm_shuffle_pd(c3, c2, 3), _mm_shuffle_pd(c4, c5, 0), _mm_shuffle_pd(c6, c7, 0),
      _mm_shuffle_pd(c5, c4, 3), _mm_shuffle_pd(c7, c6, 3),
  };
  for (int i = 0; i < 8; i++) _mm_store_pd(out + 2 * i, _mm_add_pd(_mm_load_pd(out + 2 * i), r[i]));
}

// Six independent multiply chains and six independent add chains (bench/simd-peak.ts).
__attribute__((noinline)) static double peak(long n, volatile double *in) {
  __m128d m = _mm_set1_pd(in[0]), d = _mm_set1_pd(in[1]);
  __m128d x0 = m, x1 = m, x2 = m, x3 = m, x4 = m, x5 = m;
  __m128d y0 = m, y1 = m, y2 = m, y3 = m, y4 = m, y5 = m;
  for (long i = 0; i < n; i++) {
    x0 = _mm_mul_pd(x0, m); x1 = _mm_mul_pd(x1, m); x2 = _mm_mul_pd(x2, m);
    x3 = _mm_mul_pd(x3, m); x4 = _mm_mul_pd(x4, m); x5 = _mm_mul_pd(x5, m);
    y0 = _mm_add_pd(y0, d); y1 = _mm_add_pd(y1, d); y2 = _mm_add_pd(y2, d);
    y3 = _mm_add_pd(y3, d); y4 = _mm_add_pd(y4, d); y5 = _mm_add_pd(y5, d);
    // Keeps the compiler from folding or vectorising the chains away.
    __asm__("" : "+x"(x0), "+x"(x1), "+x"(x2), "+x"(x3), "+x"(x4), "+x"(x5),
                 "+x"(y0), "+x"(y1), "+x"(y2), "+x"(y3), "+x"(y4), "+x"(y5));
  }
  __m128d s = _mm_add_pd(_mm_add_pd(_mm_add_pd(x0, x1), _mm_add_pd(x2, x3)),
                         _mm_add_pd(_mm_add_pd(x4, x5), _mm_add_pd(y0, y1)));
  s = _mm_add_pd(s, _mm_add_pd(_mm_add_pd(y2, y3), _mm_add_pd(y4, y5)));
  return s[0] + s[1];
}

static double peakGflops(volatile double *in, double *sink) {
  const long n = 5000000;  // about 15 ms
  double t = now();
  *sink += peak(n, in);
  return 24.0 * n / (now() - t) / 1e9;
}

static int compare(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

int main(void) {
  volatile double in[2] = {1, 0x1p-60};
  double sink = 0;
  for (int i = 0; i < 4 * KC; i++) {
    pa[i] = 1.0 / (i + 1);
    pb[i] = 1.0 - i * 1e-4;
  }
  enum { TURNS = 40, CALLS = 20000 };
  double shares[TURNS], kernel[TURNS];
  double before = peakGflops(in, &sink);
  before = peakGflops(in, &sink);
  for (int t = 0; t < TURNS; t++) {
    double start = now();
    for (int i = 0; i < CALLS; i++) micro(KC, pa, pb, c);
    kernel[t] = 32.0 * KC * CALLS / (now() - start) / 1e9;
    double after = peakGflops(in, &sink);
    shares[t] = kernel[t] / ((before + after) / 2);
    before = after;
  }
  qsort(shares, TURNS, sizeof shares[0], compare);
  qsort(kernel, TURNS, sizeof kernel[0], compare);
  printf("native 4x4 diagonal micro-kernel, kc = %d, in L1: %.1f GFLOPS (median of %d), "
         "%.0f%% of the f64x2 peak read around it (median of the per-turn shares)\n",
         KC, kernel[TURNS / 2], TURNS, 100 * shares[TURNS / 2]);
  // Keeps the results alive.
  if (sink == 42.0 && c[0] == 42.0) printf("\n");
  return 0;
}
