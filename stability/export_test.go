package stability

// RandomCode exposes randomCode to the external tests.
var RandomCode = randomCode
