"""Functions of realistic length for bench_transform.py: written out here as a user would write them.

`straight_line_50` is 50 lines of scalar arithmetic and math calls;
`with_loops_and_helpers` has two loops, a branch and calls to helper functions
(about 50 lines in all); `straight_line_200` is 200 lines.
"""
import math


def _smooth_step(u):
    t = u * u
    return t * (3.0 - 2.0 * t)


def _damped(u, rate):
    return u * math.exp(-rate * u * u)


def straight_line_50(x, y, z):
    a1 = x * y + z
    a2 = math.sin(a1) * x
    a3 = a2 + y * z
    a4 = math.exp(-a3 * a3) + a1
    a5 = a4 * a2 - x
    a6 = math.cos(a5) + a3 * y
    a7 = a6 / (1.0 + a5 * a5)
    a8 = a7 * a7 + a4
    a9 = math.tanh(a8) * z
    a10 = a9 + a1 * a2
    a11 = a10 * x + y
    a12 = math.sin(a11) * a10
    a13 = a12 + a11 * z
    a14 = math.exp(-a13 * a13) + a12
    a15 = a14 * a13 - y
    a16 = math.cos(a15) + a14 * x
    a17 = a16 / (1.0 + a15 * a15)
    a18 = a17 * a17 + a16
    a19 = math.tanh(a18) * y
    a20 = a19 + a17 * a18
    a21 = a20 * z + x
    a22 = math.sin(a21) * a20
    a23 = a22 + a21 * y
    a24 = math.exp(-a23 * a23) + a22
    a25 = a24 * a23 - z
    a26 = math.cos(a25) + a24 * y
    a27 = a26 / (1.0 + a25 * a25)
    a28 = a27 * a27 + a26
    a29 = math.tanh(a28) * x
    a30 = a29 + a27 * a28
    a31 = a30 * y + z
    a32 = math.sin(a31) * a30
    a33 = a32 + a31 * x
    a34 = math.exp(-a33 * a33) + a32
    a35 = a34 * a33 - x
    a36 = math.cos(a35) + a34 * z
    a37 = a36 / (1.0 + a35 * a35)
    a38 = a37 * a37 + a36
    a39 = math.tanh(a38) * z
    a40 = a39 + a37 * a38
    a41 = a40 * x + y
    a42 = math.sin(a41) * a40
    a43 = a42 + a41 * z
    a44 = math.exp(-a43 * a43) + a42
    a45 = a44 * a43 - y
    a46 = math.cos(a45) + a44 * x
    a47 = a46 / (1.0 + a45 * a45)
    a48 = a47 * a47 + a46
    return a48 + a47


def with_loops_and_helpers(x, y, n):
    total = 0.0
    u = x
    v = y
    for i in range(n):
        a = _smooth_step(u) + 0.1 * v
        b = _damped(v, 0.5) - 0.1 * u
        if a > b:
            u = u + 0.01 * (a - b)
            v = v * 0.99
        else:
            u = u * 0.99
            v = v + 0.01 * (b - a)
        total = total + u * v
    w = total / n
    s = math.sin(w) * x
    c = math.cos(w) * y
    r = math.sqrt(s * s + c * c + 1.0)
    acc = r
    k = 0
    while k < 5:
        acc = acc * 0.9 + _smooth_step(acc) * 0.1
        k = k + 1
    p1 = acc * x + y
    p2 = math.tanh(p1) * acc
    p3 = p2 + _damped(p1, 0.1)
    p4 = p3 * p3 + s
    p5 = math.log(1.0 + p4 * p4)
    p6 = p5 * c + p2
    p7 = math.exp(-p6 * p6) + p5
    p8 = p7 * w - p3
    p9 = math.atan(p8) + p6
    p10 = p9 * p9 + p7
    p11 = _smooth_step(p10) + p8
    p12 = p11 * r - p9
    p13 = math.sin(p12) + p10
    p14 = p13 * p11 + x
    p15 = math.cos(p14) * p12
    p16 = p15 + p13 * y
    p17 = p16 / (1.0 + p14 * p14)
    p18 = p17 * p16 + p15
    return p18 + total


def straight_line_200(x, y, z):
    a1 = x * y + z
    a2 = math.exp(-a1 * a1) + a1
    a3 = a2 * a1 - x
    a4 = math.cos(a3) + a1 * z
    a5 = a4 / (1.0 + a2 * a2)
    a6 = a5 * a5 + a3
    a7 = math.tanh(a6) * z
    a8 = a7 + a5 * a7
    a9 = math.sin(a8) * x
    a10 = a9 + z * y
    a11 = math.exp(-a10 * a10) + a8
    a12 = a11 * a9 - x
    a13 = math.cos(a12) + a10 * z
    a14 = a13 / (1.0 + a11 * a11)
    a15 = a14 * a14 + a12
    a16 = math.tanh(a15) * z
    a17 = a16 + a14 * a16
    a18 = math.sin(a17) * x
    a19 = a18 + z * y
    a20 = math.exp(-a19 * a19) + a17
    a21 = a20 * a18 - x
    a22 = math.cos(a21) + a19 * z
    a23 = a22 / (1.0 + a20 * a20)
    a24 = a23 * a23 + a21
    a25 = math.tanh(a24) * z
    a26 = a25 + a23 * a25
    a27 = math.sin(a26) * x
    a28 = a27 + z * y
    a29 = math.exp(-a28 * a28) + a26
    a30 = a29 * a27 - x
    a31 = math.cos(a30) + a28 * z
    a32 = a31 / (1.0 + a29 * a29)
    a33 = a32 * a32 + a30
    a34 = math.tanh(a33) * z
    a35 = a34 + a32 * a34
    a36 = math.sin(a35) * x
    a37 = a36 + z * y
    a38 = math.exp(-a37 * a37) + a35
    a39 = a38 * a36 - x
    a40 = math.cos(a39) + a37 * z
    a41 = a40 / (1.0 + a38 * a38)
    a42 = a41 * a41 + a39
    a43 = math.tanh(a42) * z
    a44 = a43 + a41 * a43
    a45 = math.sin(a44) * x
    a46 = a45 + z * y
    a47 = math.exp(-a46 * a46) + a44
    a48 = a47 * a45 - x
    a49 = math.cos(a48) + a46 * z
    a50 = a49 / (1.0 + a47 * a47)
    a51 = a50 * a50 + a48
    a52 = math.tanh(a51) * z
    a53 = a52 + a50 * a52
    a54 = math.sin(a53) * x
    a55 = a54 + z * y
    a56 = math.exp(-a55 * a55) + a53
    a57 = a56 * a54 - x
    a58 = math.cos(a57) + a55 * z
    a59 = a58 / (1.0 + a56 * a56)
    a60 = a59 * a59 + a57
    a61 = math.tanh(a60) * z
    a62 = a61 + a59 * a61
    a63 = math.sin(a62) * x
    a64 = a63 + z * y
    a65 = math.exp(-a64 * a64) + a62
    a66 = a65 * a63 - x
    a67 = math.cos(a66) + a64 * z
    a68 = a67 / (1.0 + a65 * a65)
    a69 = a68 * a68 + a66
    a70 = math.tanh(a69) * z
    a71 = a70 + a68 * a70
    a72 = math.sin(a71) * x
    a73 = a72 + z * y
    a74 = math.exp(-a73 * a73) + a71
    a75 = a74 * a72 - x
    a76 = math.cos(a75) + a73 * z
    a77 = a76 / (1.0 + a74 * a74)
    a78 = a77 * a77 + a75
    a79 = math.tanh(a78) * z
    a80 = a79 + a77 * a79
    a81 = math.sin(a80) * x
    a82 = a81 + z * y
    a83 = math.exp(-a82 * a82) + a80
    a84 = a83 * a81 - x
    a85 = math.cos(a84) + a82 * z
    a86 = a85 / (1.0 + a83 * a83)
    a87 = a86 * a86 + a84
    a88 = math.tanh(a87) * z
    a89 = a88 + a86 * a88
    a90 = math.sin(a89) * x
    a91 = a90 + z * y
    a92 = math.exp(-a91 * a91) + a89
    a93 = a92 * a90 - x
    a94 = math.cos(a93) + a91 * z
    a95 = a94 / (1.0 + a92 * a92)
    a96 = a95 * a95 + a93
    a97 = math.tanh(a96) * z
    a98 = a97 + a95 * a97
    a99 = math.sin(a98) * x
    a100 = a99 + z * y
    a101 = math.exp(-a100 * a100) + a98
    a102 = a101 * a99 - x
    a103 = math.cos(a102) + a100 * z
    a104 = a103 / (1.0 + a101 * a101)
    a105 = a104 * a104 + a102
    a106 = math.tanh(a105) * z
    a107 = a106 + a104 * a106
    a108 = math.sin(a107) * x
    a109 = a108 + z * y
    a110 = math.exp(-a109 * a109) + a107
    a111 = a110 * a108 - x
    a112 = math.cos(a111) + a109 * z
    a113 = a112 / (1.0 + a110 * a110)
    a114 = a113 * a113 + a111
    a115 = math.tanh(a114) * z
    a116 = a115 + a113 * a115
    a117 = math.sin(a116) * x
    a118 = a117 + z * y
    a119 = math.exp(-a118 * a118) + a116
    a120 = a119 * a117 - x
    a121 = math.cos(a120) + a118 * z
    a122 = a121 / (1.0 + a119 * a119)
    a123 = a122 * a122 + a120
    a124 = math.tanh(a123) * z
    a125 = a124 + a122 * a124
    a126 = math.sin(a125) * x
    a127 = a126 + z * y
    a128 = math.exp(-a127 * a127) + a125
    a129 = a128 * a126 - x
    a130 = math.cos(a129) + a127 * z
    a131 = a130 / (1.0 + a128 * a128)
    a132 = a131 * a131 + a129
    a133 = math.tanh(a132) * z
    a134 = a133 + a131 * a133
    a135 = math.sin(a134) * x
    a136 = a135 + z * y
    a137 = math.exp(-a136 * a136) + a134
    a138 = a137 * a135 - x
    a139 = math.cos(a138) + a136 * z
    a140 = a139 / (1.0 + a137 * a137)
    a141 = a140 * a140 + a138
    a142 = math.tanh(a141) * z
    a143 = a142 + a140 * a142
    a144 = math.sin(a143) * x
    a145 = a144 + z * y
    a146 = math.exp(-a145 * a145) + a143
    a147 = a146 * a144 - x
    a148 = math.cos(a147) + a145 * z
    a149 = a148 / (1.0 + a146 * a146)
    a150 = a149 * a149 + a147
    a151 = math.tanh(a150) * z
    a152 = a151 + a149 * a151
    a153 = math.sin(a152) * x
    a154 = a153 + z * y
    a155 = math.exp(-a154 * a154) + a152
    a156 = a155 * a153 - x
    a157 = math.cos(a156) + a154 * z
    a158 = a157 / (1.0 + a155 * a155)
    a159 = a158 * a158 + a156
    a160 = math.tanh(a159) * z
    a161 = a160 + a158 * a160
    a162 = math.sin(a161) * x
    a163 = a162 + z * y
    a164 = math.exp(-a163 * a163) + a161
    a165 = a164 * a162 - x
    a166 = math.cos(a165) + a163 * z
    a167 = a166 / (1.0 + a164 * a164)
    a168 = a167 * a167 + a165
    a169 = math.tanh(a168) * z
    a170 = a169 + a167 * a169
    a171 = math.sin(a170) * x
    a172 = a171 + z * y
    a173 = math.exp(-a172 * a172) + a170
    a174 = a173 * a171 - x
    a175 = math.cos(a174) + a172 * z
    a176 = a175 / (1.0 + a173 * a173)
    a177 = a176 * a176 + a174
    a178 = math.tanh(a177) * z
    a179 = a178 + a176 * a178
    a180 = math.sin(a179) * x
    a181 = a180 + z * y
    a182 = math.exp(-a181 * a181) + a179
    a183 = a182 * a180 - x
    a184 = math.cos(a183) + a181 * z
    a185 = a184 / (1.0 + a182 * a182)
    a186 = a185 * a185 + a183
    a187 = math.tanh(a186) * z
    a188 = a187 + a185 * a187
    a189 = math.sin(a188) * x
    a190 = a189 + z * y
    a191 = math.exp(-a190 * a190) + a188
    a192 = a191 * a189 - x
    a193 = math.cos(a192) + a190 * z
    a194 = a193 / (1.0 + a191 * a191)
    a195 = a194 * a194 + a192
    a196 = math.tanh(a195) * z
    a197 = a196 + a194 * a196
    a198 = math.sin(a197) * x
    return a198 + a197
