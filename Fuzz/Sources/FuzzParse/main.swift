import FuzzSupport
import Foundation

/// libFuzzer entry point: the input is a whole file, as a user would upload it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParse(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FuzzTarget.parse(Data(bytes: start, count: count))
    return 0
}
