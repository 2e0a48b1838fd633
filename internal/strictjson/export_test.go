package strictjson_test

import "github.com/go-json-experiment/json/jsontext"

func jsontextPointer(s string) jsontext.Pointer { return jsontext.Pointer(s) }
