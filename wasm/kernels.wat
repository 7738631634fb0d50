;; maskgrad's WebAssembly kernels: the gemm, C += op(A) op(B) in float64 with 128-bit SIMD
;; (f64x2), and ReLU's forward and backward over arrays.
;;
;; The gemm adds every element's products in the same order as the TypeScript kernel in
;; src/kernels/gemm.ts, so the two give the same numbers bit for bit: k is cut into
;; blocks of KC = 256; per block, each element of C sums its products in a register that
;; starts at +0, in increasing p, one rounded multiply and one rounded add per product
;; (no fused multiply-add), and that sum is then added to C. How m and n are cut into
;; blocks and tiles does not change any element's sum, so the tile here is 4 rows x 4
;; columns held by diagonals (see $micro): 8 f64x2 accumulators, 2 vectors of B and their
;; swapped halves and one vector of A, 14 live v128 values (V8 in Node 20 allocates 15, and
;; tiles that need more spill). It loads 4 vectors per step where a 2 x 8 tile of splatted
;; A values loads 6, which is what bounds such a kernel on the Zen 3 cores measured here.
;;
;; Memory: the packed panels of op(A) (MC x KC) at PA = 0, of op(B) (KC x NC) at
;; PB = 262144, a 4x4 scratch tile for edge tiles at EDGE = 1310720, and from `work`
;; on, the operands the caller copied in (A, B and C, row-major, contiguous; or the arrays
;; of relu and relu_backward). The caller grows the memory to fit them.
;;
;; Built by `npm run build:wasm` (scripts/build-wasm.ts) into src/kernels/wasm-module.ts.
(module
  (memory (export "memory") 21)
  ;; First byte after the kernel's own buffers: where the caller puts A, B and C.
  (global (export "work") i32 (i32.const 1310848))

  ;; Copies `count` lines of `depth` values (line r, step p at src + (r * ls + p * ss) * 8)
  ;; into panels of `width` lines, dst[(panel * depth + p) * width + r], with zeros past
  ;; the last line: the same layout as pack() in gemm.ts.
  (func $pack (param $src i32) (param $ls i32) (param $ss i32) (param $count i32)
              (param $depth i32) (param $width i32) (param $dst i32)
    (local $r0 i32) (local $lines i32) (local $base i32) (local $p i32) (local $s i32)
    (local $r i32) (local $rowBytes i32) (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local.set $ls (i32.shl (local.get $ls) (i32.const 3)))
    (local.set $ss (i32.shl (local.get $ss) (i32.const 3)))
    (local.set $rowBytes (i32.shl (local.get $width) (i32.const 3)))
    (block $panelsDone
      (loop $panels
        (br_if $panelsDone (i32.ge_s (local.get $r0) (local.get $count)))
        (local.set $lines (i32.sub (local.get $count) (local.get $r0)))
        (if (i32.gt_s (local.get $lines) (local.get $width))
          (then (local.set $lines (local.get $width))))
        (local.set $base (i32.add (local.get $src) (i32.mul (local.get $r0) (local.get $ls))))
        (if (i32.and (i32.eq (local.get $ss) (i32.const 8))
                     (i32.and (i32.eq (local.get $lines) (i32.const 4)) (i32.eq (local.get $width) (i32.const 4))))
          (then
            ;; Four whole lines whose steps are adjacent in memory (a transpose): two steps of
            ;; each line per vector load, their lanes regrouped into two panel rows.
            (local.set $p (i32.const 0))
            (block $pairsDone
              (loop $pairs
                (br_if $pairsDone (i32.gt_s (i32.add (local.get $p) (i32.const 2)) (local.get $depth)))
                (local.set $s (i32.add (local.get $base) (i32.shl (local.get $p) (i32.const 3))))
                (local.set $v0 (v128.load (local.get $s)))
                (local.set $v1 (v128.load (i32.add (local.get $s) (local.get $ls))))
                (local.set $v2 (v128.load (i32.add (local.get $s) (i32.shl (local.get $ls) (i32.const 1)))))
                (local.set $v3 (v128.load (i32.add (local.get $s) (i32.mul (local.get $ls) (i32.const 3)))))
                (v128.store (local.get $dst)
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
                (v128.store offset=16 (local.get $dst)
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v2) (local.get $v3)))
                (v128.store offset=32 (local.get $dst)
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
                (v128.store offset=48 (local.get $dst)
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v2) (local.get $v3)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
                (local.set $p (i32.add (local.get $p) (i32.const 2)))
                (br $pairs)))
            ;; An odd last step, value by value.
            (if (i32.lt_s (local.get $p) (local.get $depth))
              (then
                (local.set $s (i32.add (local.get $base) (i32.shl (local.get $p) (i32.const 3))))
                (f64.store (local.get $dst) (f64.load (local.get $s)))
                (f64.store offset=8 (local.get $dst) (f64.load (i32.add (local.get $s) (local.get $ls))))
                (f64.store offset=16 (local.get $dst)
                  (f64.load (i32.add (local.get $s) (i32.shl (local.get $ls) (i32.const 1)))))
                (f64.store offset=24 (local.get $dst)
                  (f64.load (i32.add (local.get $s) (i32.mul (local.get $ls) (i32.const 3)))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 32))))))
          (else
        (local.set $p (i32.const 0))
        (block $stepsDone
          (loop $steps
            (br_if $stepsDone (i32.ge_s (local.get $p) (local.get $depth)))
            (local.set $s (i32.add (local.get $base) (i32.mul (local.get $p) (local.get $ss))))
            (if (i32.and (i32.eq (local.get $ls) (i32.const 8))
                         (i32.eq (local.get $lines) (local.get $width)))
              (then
                ;; A full panel row whose lines are adjacent in memory: copy 16 bytes at a time.
                (local.set $r (i32.const 0))
                (loop $copy16
                  (v128.store (i32.add (local.get $dst) (local.get $r))
                    (v128.load (i32.add (local.get $s) (local.get $r))))
                  (local.set $r (i32.add (local.get $r) (i32.const 16)))
                  (br_if $copy16 (i32.lt_s (local.get $r) (local.get $rowBytes)))))
              (else
                (local.set $r (i32.const 0))
                (block $copyDone
                  (loop $copy
                    (br_if $copyDone (i32.ge_s (local.get $r) (local.get $lines)))
                    (f64.store
                      (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 3)))
                      (f64.load (i32.add (local.get $s) (i32.mul (local.get $r) (local.get $ls)))))
                    (local.set $r (i32.add (local.get $r) (i32.const 1)))
                    (br $copy)))
                (block $zeroDone
                  (loop $zero
                    (br_if $zeroDone (i32.ge_s (local.get $r) (local.get $width)))
                    (f64.store
                      (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 3)))
                      (f64.const 0))
                    (local.set $r (i32.add (local.get $r) (i32.const 1)))
                    (br $zero)))))
            (local.set $dst (i32.add (local.get $dst) (local.get $rowBytes)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $steps)))))
        (local.set $r0 (i32.add (local.get $r0) (local.get $width)))
        (br $panels))))

  ;; C[0..rows, 0..cols] += (4-row panel of A at pa) x (4-column panel of B at pb), kc >= 1
  ;; steps deep; C's tile at byte c, rows ldc bytes apart; fresh = 1: C is +0 and not read.
  ;;
  ;; The tile is held by diagonals, which needs 4 loads per step instead of the 6 a 2 x 8 tile
  ;; of splatted A values needs (on the Zen 3 cores measured here, loads, not arithmetic,
  ;; bound the 2 x 8 kernel). A01 = (A[0,p], A[1,p]) and A23 are loaded as vectors, as are
  ;; B01 = (B[p,0], B[p,1]) and B23, and B's halves swapped, S01 = (B[p,1], B[p,0]) and S23.
  ;; Then c0 = A01 B01 holds (C00, C11), c1 = A01 S01 (C01, C10), c2 = A01 B23 (C02, C13),
  ;; c3 = A01 S23 (C03, C12), and c4..c7 the same for rows 2 and 3. Each element of C still
  ;; sums its products in one lane that starts at +0, in increasing p, one rounded multiply
  ;; and one rounded add per product: the order of gemm.ts, so the same bits.
  (func $micro (param $kc i32) (param $pa i32) (param $pb i32) (param $c i32) (param $ldc i32)
               (param $rows i32) (param $cols i32) (param $fresh i32)
    (local $a v128) (local $b01 v128) (local $b23 v128) (local $s01 v128) (local $s23 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128)
    (local $i i32) (local $j i32) (local $row i32)
    ;; The accumulators start at +0 (locals are zero-initialised), as in gemm.ts.
    (loop $k
      (local.set $b01 (v128.load (local.get $pb)))
      (local.set $b23 (v128.load offset=16 (local.get $pb)))
      (local.set $s01 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b01) (local.get $b01)))
      (local.set $s23 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b23) (local.get $b23)))
      (local.set $a (v128.load (local.get $pa)))
      (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $a) (local.get $b01))))
      (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $a) (local.get $s01))))
      (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (local.get $a) (local.get $b23))))
      (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (local.get $a) (local.get $s23))))
      (local.set $a (v128.load offset=16 (local.get $pa)))
      (local.set $c4 (f64x2.add (local.get $c4) (f64x2.mul (local.get $a) (local.get $b01))))
      (local.set $c5 (f64x2.add (local.get $c5) (f64x2.mul (local.get $a) (local.get $s01))))
      (local.set $c6 (f64x2.add (local.get $c6) (f64x2.mul (local.get $a) (local.get $b23))))
      (local.set $c7 (f64x2.add (local.get $c7) (f64x2.mul (local.get $a) (local.get $s23))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
      (local.set $kc (i32.sub (local.get $kc) (i32.const 1)))
      (br_if $k (local.get $kc)))
    ;; The rows of the tile, out of the diagonals: row 0 = (c0[0], c1[0] | c2[0], c3[0]),
    ;; row 1 = (c1[1], c0[1] | c3[1], c2[1]), rows 2 and 3 the same from c4..c7.
    (local.set $b01 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $c0) (local.get $c1)))
    (local.set $b23 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $c2) (local.get $c3)))
    (local.set $s01 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $c1) (local.get $c0)))
    (local.set $s23 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $c3) (local.get $c2)))
    (local.set $c0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $c4) (local.get $c5)))
    (local.set $c1 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $c6) (local.get $c7)))
    (local.set $c2 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $c5) (local.get $c4)))
    (local.set $c3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $c7) (local.get $c6)))
    (if (i32.and (i32.eq (local.get $rows) (i32.const 4)) (i32.eq (local.get $cols) (i32.const 4)))
      (then
        (if (local.get $fresh)
          (then
            ;; A fresh C (all +0, not copied in): +0 + sum, the same bits as C + sum there.
            (v128.store (local.get $c) (f64x2.add (v128.const f64x2 0 0) (local.get $b01)))
            (v128.store offset=16 (local.get $c)
              (f64x2.add (v128.const f64x2 0 0) (local.get $b23)))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (f64x2.add (v128.const f64x2 0 0) (local.get $s01)))
            (v128.store offset=16 (local.get $c)
              (f64x2.add (v128.const f64x2 0 0) (local.get $s23)))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (f64x2.add (v128.const f64x2 0 0) (local.get $c0)))
            (v128.store offset=16 (local.get $c)
              (f64x2.add (v128.const f64x2 0 0) (local.get $c1)))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (f64x2.add (v128.const f64x2 0 0) (local.get $c2)))
            (v128.store offset=16 (local.get $c)
              (f64x2.add (v128.const f64x2 0 0) (local.get $c3)))
            (return)))
        ;; C + sum, in that order, as `c[o] += c00` in gemm.ts.
        (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $b01)))
        (v128.store offset=16 (local.get $c)
          (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $b23)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $s01)))
        (v128.store offset=16 (local.get $c)
          (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $s23)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c0)))
        (v128.store offset=16 (local.get $c)
          (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c1)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c2)))
        (v128.store offset=16 (local.get $c)
          (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c3)))
        (return)))
    ;; An edge tile: write the 4 x 4 sums, row by row, to EDGE, then add only the part inside C.
    (v128.store offset=1310720 (i32.const 0) (local.get $b01))
    (v128.store offset=1310736 (i32.const 0) (local.get $b23))
    (v128.store offset=1310752 (i32.const 0) (local.get $s01))
    (v128.store offset=1310768 (i32.const 0) (local.get $s23))
    (v128.store offset=1310784 (i32.const 0) (local.get $c0))
    (v128.store offset=1310800 (i32.const 0) (local.get $c1))
    (v128.store offset=1310816 (i32.const 0) (local.get $c2))
    (v128.store offset=1310832 (i32.const 0) (local.get $c3))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_s (local.get $i) (local.get $rows)))
        (local.set $row (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc))))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $colLoop
            (br_if $colsDone (i32.ge_s (local.get $j) (local.get $cols)))
            (f64.store
              (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3)))
              (f64.add
                (if (result f64) (local.get $fresh)
                  (then (f64.const 0))
                  (else (f64.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))))))
                (f64.load offset=1310720
                  (i32.shl (i32.add (i32.shl (local.get $i) (i32.const 2)) (local.get $j))
                           (i32.const 3)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $colLoop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rowLoop))))

;; ReLU over n >= 0 values, as the formulas of relu in src/ops/activations.ts give them,
  ;; without a branch per value (a branch mispredicts on about half of a layer's values):
  ;; relu: out = x where x > 0 or x is NaN, else +0 (-0 and negatives give +0);
  ;; relu_backward: gx = g where x > 0, else +0.
  ;; Each lane's bits are ANDed with a lane mask of all ones or all zeros, so the values kept
  ;; are copied bit for bit. Whole vectors are processed: for odd n the last one reads and
  ;; writes one value past the end, which the caller leaves room for.
  (func (export "relu") (param $x i32) (param $out i32) (param $n i32)
    (local $v v128) (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $vectors
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (v128.load (local.get $x)))
        (v128.store (local.get $out)
          (v128.and (local.get $v)
            (v128.or (f64x2.gt (local.get $v) (v128.const f64x2 0 0))
                     (f64x2.ne (local.get $v) (local.get $v)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $vectors))))

  (func (export "relu_backward") (param $g i32) (param $x i32) (param $gx i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $vectors
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (v128.store (local.get $gx)
          (v128.and (v128.load (local.get $g))
                    (f64x2.gt (v128.load (local.get $x)) (v128.const f64x2 0 0))))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $gx (i32.add (local.get $gx) (i32.const 16)))
        (br $vectors))))

  ;; C += op(A) op(B), op(A) [m,k] and op(B) [k,n], m, n, k >= 1; a, b, c are byte
  ;; addresses of A ([m,k], or [k,m] if transA), B ([k,n], or [n,k] if transB) and C
  ;; ([m,n]). Blocks as in gemm.ts: NC = 512 columns of op(B), KC = 256 steps of k,
  ;; MC = 128 rows of op(A); loops jc, pc, ic, then tiles jr, ir. cZero = 1 says that C is
  ;; all +0 and was not copied in: the first block of k then writes +0 + sum without
  ;; reading C (the bits of C + sum), and the later blocks add to what it wrote.
  (func (export "gemm") (param $transA i32) (param $transB i32) (param $m i32) (param $n i32)
                        (param $k i32) (param $a i32) (param $b i32) (param $c i32)
                        (param $cZero i32)
    (local $aRow i32) (local $aCol i32) (local $bRow i32) (local $bCol i32)
    (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32)
    (local $jr i32) (local $cols i32) (local $ir i32) (local $rows i32)
    ;; op(A)[i,p] is at a + (i * aRow + p * aCol) * 8, op(B)[p,j] at b + (p * bRow + j * bCol) * 8.
    (local.set $aRow (select (i32.const 1) (local.get $k) (local.get $transA)))
    (local.set $aCol (select (local.get $m) (i32.const 1) (local.get $transA)))
    (local.set $bRow (select (i32.const 1) (local.get $n) (local.get $transB)))
    (local.set $bCol (select (local.get $k) (i32.const 1) (local.get $transB)))
    (block $jcDone
      (loop $jcLoop
        (br_if $jcDone (i32.ge_s (local.get $jc) (local.get $n)))
        (local.set $nc (i32.sub (local.get $n) (local.get $jc)))
        (if (i32.gt_s (local.get $nc) (i32.const 512)) (then (local.set $nc (i32.const 512))))
        (local.set $pc (i32.const 0))
        (block $pcDone
          (loop $pcLoop
            (br_if $pcDone (i32.ge_s (local.get $pc) (local.get $k)))
            (local.set $kc (i32.sub (local.get $k) (local.get $pc)))
            (if (i32.gt_s (local.get $kc) (i32.const 256)) (then (local.set $kc (i32.const 256))))
            (call $pack
              (i32.add (local.get $b)
                (i32.shl
                  (i32.add (i32.mul (local.get $pc) (local.get $bRow))
                           (i32.mul (local.get $jc) (local.get $bCol)))
                  (i32.const 3)))
              (local.get $bCol) (local.get $bRow) (local.get $nc) (local.get $kc)
              (i32.const 4) (i32.const 262144))
            (local.set $ic (i32.const 0))
            (block $icDone
              (loop $icLoop
                (br_if $icDone (i32.ge_s (local.get $ic) (local.get $m)))
                (local.set $mc (i32.sub (local.get $m) (local.get $ic)))
                (if (i32.gt_s (local.get $mc) (i32.const 128)) (then (local.set $mc (i32.const 128))))
                (call $pack
                  (i32.add (local.get $a)
                    (i32.shl
                      (i32.add (i32.mul (local.get $ic) (local.get $aRow))
                               (i32.mul (local.get $pc) (local.get $aCol)))
                      (i32.const 3)))
                  (local.get $aRow) (local.get $aCol) (local.get $mc) (local.get $kc)
                  (i32.const 4) (i32.const 0))
                (local.set $jr (i32.const 0))
                (block $jrDone
                  (loop $jrLoop
                    (br_if $jrDone (i32.ge_s (local.get $jr) (local.get $nc)))
                    (local.set $cols (i32.sub (local.get $nc) (local.get $jr)))
                    (if (i32.gt_s (local.get $cols) (i32.const 4)) (then (local.set $cols (i32.const 4))))
                    (local.set $ir (i32.const 0))
                    (block $irDone
                      (loop $irLoop
                        (br_if $irDone (i32.ge_s (local.get $ir) (local.get $mc)))
                        (local.set $rows (i32.sub (local.get $mc) (local.get $ir)))
                        (if (i32.gt_s (local.get $rows) (i32.const 4)) (then (local.set $rows (i32.const 4))))
                        (call $micro
                          (local.get $kc)
                          (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 3))
                          (i32.add (i32.const 262144)
                            (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 3)))
                          (i32.add (local.get $c)
                            (i32.shl
                              (i32.add
                                (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $n))
                                (i32.add (local.get $jc) (local.get $jr)))
                              (i32.const 3)))
                          (i32.shl (local.get $n) (i32.const 3))
                          (local.get $rows) (local.get $cols)
                          (i32.and (local.get $cZero) (i32.eqz (local.get $pc))))
                        (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
                        (br $irLoop)))
                    (local.set $jr (i32.add (local.get $jr) (i32.const 4)))
                    (br $jrLoop)))
                (local.set $ic (i32.add (local.get $ic) (i32.const 128)))
                (br $icLoop)))
            (local.set $pc (i32.add (local.get $pc) (i32.const 256)))
            (br $pcLoop)))
        (local.set $jc (i32.add (local.get $jc) (i32.const 512)))
        (br $jcLoop))))
)
