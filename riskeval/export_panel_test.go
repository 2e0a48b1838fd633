package riskeval

// ChiSquareTail exposes the χ² upper tail behind Concordance.PValue to the
// closed-form tests.
func ChiSquareTail(x float64, df int) float64 { return gammaQ(float64(df)/2, x/2) }

// The power iteration's parameters, for the benchmark's reference loop.
const (
	AHPEigenToleranceForTest     = ahpEigenTolerance
	AHPEigenMaxIterationsForTest = ahpEigenMaxIterations
)
