//go:build amd64 && !purego

#include "textflag.h"

// The passes of kernel.go in SSE2, two trials at a time, then one trial
// for an odd count: for each trial the multiplications and additions of
// linGo and accGo, in their order (x·c is c·x and a + b is b + a, bit for
// bit). DI is d, R8–R12 the sources, X8–X12 their coefficients, X7 the
// constant, SI the trial, CX the trials left.

// Source i's term c·s of the trial(s) at SI into register T.
#define TERM(MOV, MUL, SRC, COEF, T) MOV (SRC)(SI*8), T; MUL COEF, T

// linear: T0 = k + c0·s0, then the others grouped as in linGo.
#define LIN1(MOV, MUL, ADD) TERM(MOV, MUL, R8, X8, X0); ADD X7, X0
#define LIN2(MOV, MUL, ADD) LIN1(MOV, MUL, ADD); TERM(MOV, MUL, R9, X9, X1); ADD X1, X0
#define LIN3(MOV, MUL, ADD) LIN1(MOV, MUL, ADD); TERM(MOV, MUL, R9, X9, X1); TERM(MOV, MUL, R10, X10, X2); ADD X2, X1; ADD X1, X0
#define LIN4(MOV, MUL, ADD) LIN3(MOV, MUL, ADD); TERM(MOV, MUL, R11, X11, X3); ADD X3, X0
#define LIN5(MOV, MUL, ADD) LIN3(MOV, MUL, ADD); TERM(MOV, MUL, R11, X11, X3); TERM(MOV, MUL, R12, X12, X4); ADD X4, X3; ADD X3, X0

// accumulate: X0 = d + (c1·s1 + c2·s2), and so on, as in accGo.
#define ACC1(MOV, MUL, ADD) MOV (DI)(SI*8), X0; TERM(MOV, MUL, R8, X8, X1); ADD X1, X0
#define ACC2(MOV, MUL, ADD) MOV (DI)(SI*8), X0; TERM(MOV, MUL, R8, X8, X1); TERM(MOV, MUL, R9, X9, X2); ADD X2, X1; ADD X1, X0
#define ACC3(MOV, MUL, ADD) ACC2(MOV, MUL, ADD); TERM(MOV, MUL, R10, X10, X3); ADD X3, X0
#define ACC4(MOV, MUL, ADD) ACC2(MOV, MUL, ADD); TERM(MOV, MUL, R10, X10, X3); TERM(MOV, MUL, R11, X11, X4); ADD X4, X3; ADD X3, X0

// A loop over the trials: BODY two at a time, then one, storing X0.
#define LOOP(BODY, L, T, DONE) \
	XORQ SI, SI; \
L: \
	CMPQ CX, $2; \
	JLT T; \
	BODY(MOVUPD, MULPD, ADDPD); \
	MOVUPD X0, (DI)(SI*8); \
	ADDQ $2, SI; \
	SUBQ $2, CX; \
	JMP L; \
T: \
	TESTQ CX, CX; \
	JEQ DONE; \
	BODY(MOVSD, MULSD, ADDSD); \
	MOVSD X0, (DI)(SI*8); \
	JMP DONE

// A coefficient, broadcast to both lanes.
#define COEF(OFF, X) MOVSD OFF(BX), X; UNPCKLPD X, X

// The prologue's parts: the first four sources from the array at AX,
// their coefficients from the array at BX (two lanes, four lanes), and a
// jump on the term count DX to the loop for 1, 2, 3 (or 4) terms; the
// most terms fall through.
#define SOURCES4 MOVQ 0(AX), R8; MOVQ 8(AX), R9; MOVQ 16(AX), R10; MOVQ 24(AX), R11
#define COEFS4 COEF(0, X8); COEF(8, X9); COEF(16, X10); COEF(24, X11)
#define VCOEFS4 VBROADCASTSD 0(BX), Y8; VBROADCASTSD 8(BX), Y9; VBROADCASTSD 16(BX), Y10; VBROADCASTSD 24(BX), Y11
#define DISPATCH3(L1, L2, L3) CMPQ DX, $1; JEQ L1; CMPQ DX, $2; JEQ L2; CMPQ DX, $3; JEQ L3
#define DISPATCH4(L1, L2, L3, L4) DISPATCH3(L1, L2, L3); CMPQ DX, $4; JEQ L4

// func linSSE2(d *float64, n int, k float64, p *[5]*float64, c *[5]float64, nt int)
TEXT ·linSSE2(SB), NOSPLIT, $0-48
	MOVQ d+0(FP), DI
	MOVQ n+8(FP), CX
	MOVSD k+16(FP), X7
	UNPCKLPD X7, X7
	MOVQ p+24(FP), AX
	SOURCES4
	MOVQ 32(AX), R12
	MOVQ c+32(FP), BX
	COEFS4
	COEF(32, X12)
	MOVQ nt+40(FP), DX
	DISPATCH4(lin1, lin2, lin3, lin4)
	LOOP(LIN5, l5, t5, done)
lin1:
	LOOP(LIN1, l1, t1, done)
lin2:
	LOOP(LIN2, l2, t2, done)
lin3:
	LOOP(LIN3, l3, t3, done)
lin4:
	LOOP(LIN4, l4, t4, done)
done:
	RET

// func accSSE2(d *float64, n int, p *[4]*float64, c *[4]float64, nt int)
TEXT ·accSSE2(SB), NOSPLIT, $0-40
	MOVQ d+0(FP), DI
	MOVQ n+8(FP), CX
	MOVQ p+16(FP), AX
	SOURCES4
	MOVQ c+24(FP), BX
	COEFS4
	MOVQ nt+32(FP), DX
	DISPATCH3(acc1, acc2, acc3)
	LOOP(ACC4, a4, u4, adone)
acc1:
	LOOP(ACC1, a1, u1, adone)
acc2:
	LOOP(ACC2, a2, u2, adone)
acc3:
	LOOP(ACC3, a3, u3, adone)
adone:
	RET

// The same passes in AVX, four trials at a time (n a multiple of 4, 0
// doing nothing; the Go side runs the rest in SSE2). Y7 is the
// constant, Y8–Y12 the coefficients.
#define VTERM(SRC, COEF, T) VMULPD (SRC)(SI*8), COEF, T

#define VLIN1 VTERM(R8, Y8, Y0); VADDPD Y7, Y0, Y0
#define VLIN2 VLIN1; VTERM(R9, Y9, Y1); VADDPD Y1, Y0, Y0
#define VLIN3 VLIN1; VTERM(R9, Y9, Y1); VTERM(R10, Y10, Y2); VADDPD Y2, Y1, Y1; VADDPD Y1, Y0, Y0
#define VLIN4 VLIN3; VTERM(R11, Y11, Y3); VADDPD Y3, Y0, Y0
#define VLIN5 VLIN3; VTERM(R11, Y11, Y3); VTERM(R12, Y12, Y4); VADDPD Y4, Y3, Y3; VADDPD Y3, Y0, Y0

#define VACC1 VMOVUPD (DI)(SI*8), Y0; VTERM(R8, Y8, Y1); VADDPD Y1, Y0, Y0
#define VACC2 VMOVUPD (DI)(SI*8), Y0; VTERM(R8, Y8, Y1); VTERM(R9, Y9, Y2); VADDPD Y2, Y1, Y1; VADDPD Y1, Y0, Y0
#define VACC3 VACC2; VTERM(R10, Y10, Y3); VADDPD Y3, Y0, Y0
#define VACC4 VACC2; VTERM(R10, Y10, Y3); VTERM(R11, Y11, Y4); VADDPD Y4, Y3, Y3; VADDPD Y3, Y0, Y0

#define VLOOP(BODY, L, DONE) \
	XORQ SI, SI; \
	TESTQ CX, CX; \
	JEQ DONE; \
L: \
	BODY; \
	VMOVUPD Y0, (DI)(SI*8); \
	ADDQ $4, SI; \
	SUBQ $4, CX; \
	JNE L; \
	JMP DONE

// func linAVX(d *float64, n int, k float64, p *[5]*float64, c *[5]float64, nt int)
TEXT ·linAVX(SB), NOSPLIT, $0-48
	MOVQ d+0(FP), DI
	MOVQ n+8(FP), CX
	VBROADCASTSD k+16(FP), Y7
	MOVQ p+24(FP), AX
	SOURCES4
	MOVQ 32(AX), R12
	MOVQ c+32(FP), BX
	VCOEFS4
	VBROADCASTSD 32(BX), Y12
	MOVQ nt+40(FP), DX
	DISPATCH4(vlin1, vlin2, vlin3, vlin4)
	VLOOP(VLIN5, v5, vdone)
vlin1:
	VLOOP(VLIN1, v1, vdone)
vlin2:
	VLOOP(VLIN2, v2, vdone)
vlin3:
	VLOOP(VLIN3, v3, vdone)
vlin4:
	VLOOP(VLIN4, v4, vdone)
vdone:
	VZEROUPPER
	RET

// func accAVX(d *float64, n int, p *[4]*float64, c *[4]float64, nt int)
TEXT ·accAVX(SB), NOSPLIT, $0-40
	MOVQ d+0(FP), DI
	MOVQ n+8(FP), CX
	MOVQ p+16(FP), AX
	SOURCES4
	MOVQ c+24(FP), BX
	VCOEFS4
	MOVQ nt+32(FP), DX
	DISPATCH3(vacc1, vacc2, vacc3)
	VLOOP(VACC4, w4, wdone)
vacc1:
	VLOOP(VACC1, w1, wdone)
vacc2:
	VLOOP(VACC2, w2, wdone)
vacc3:
	VLOOP(VACC3, w3, wdone)
wdone:
	VZEROUPPER
	RET

// func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL leaf+0(FP), AX
	MOVL sub+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv0() (eax, edx uint32)
TEXT ·xgetbv0(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET
