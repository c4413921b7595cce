# Generates engine/sample/rng_zig.h, the 256-layer ziggurat of the standard normal:
#   python3 engine/sample/rng_zig_gen.py > engine/sample/rng_zig.h   (needs python3-mpmath)
import mpmath as mp
mp.mp.dps = 60
N = 256
f = lambda x: mp.exp(-x * x / 2)
def layers(R):
    V = R * f(R) + mp.sqrt(mp.pi / 2) * mp.erfc(R / mp.sqrt(2))
    X = [V / f(R), R]
    for i in range(1, N - 1):
        y = V / X[i] + f(X[i])
        if y >= 1:
            return None, V, X
        X.append(mp.sqrt(-2 * mp.log(y)))
    return V / X[-1] + f(X[-1]) - 1, V, X
lo, hi = mp.mpf('3.6'), mp.mpf('3.7')
for _ in range(200):
    mid = (lo + hi) / 2
    g, V, X = layers(mid)
    if g is None or g > 0:
        lo = mid
    else:
        hi = mid
g, V, X = layers(lo)
X.append(mp.mpf(0))
F = [f(x) for x in X]
def hx(v):
    return float(v).hex()
print("/* rng_zig.h: the 256-layer ziggurat of the standard normal (Marsaglia and Tsang, 2000).")
print(" *")
print(" * Generated, not written: layers of equal area V under f(x) = exp(-x^2/2), with x[1] = R the")
print(" * start of the tail, x[i+1] = f^-1(V / x[i] + f(x[i])), x[256] = 0 and x[0] = V / f(R) (the")
print(" * base layer's rectangle plus tail, as one width).  R solves the closure f(x[255]) +")
print(" * V / x[255] = 1; V = R f(R) + sqrt(pi/2) erfc(R / sqrt 2).  Computed with 60-digit mpmath")
print(" * and rounded once to double by engine/sample/rng_zig_gen.py, so the table is the same on every")
print(" * machine; tests/test_rng.c recomputes it in double precision and checks the agreement.")
print(" * R = %s, V = %s. */" % (mp.nstr(lo, 20), mp.nstr(V, 20)))
print("#ifndef RR_RNG_ZIG_H\n#define RR_RNG_ZIG_H\n")
print("#define RR_ZIG_R %s" % hx(lo))
print("#define RR_ZIG_V %s\n" % hx(V))
print("static const double rr_zig_x[257] = {")
for i in range(0, 257, 3):
    print("    " + ", ".join(hx(v) for v in X[i:i+3]) + ",")
print("};\n")
print("static const double rr_zig_f[257] = {")
for i in range(0, 257, 3):
    print("    " + ", ".join(hx(v) for v in F[i:i+3]) + ",")
print("};\n\n#endif")
