extension ResumeParser {
    /// The limits a parser enforces on untrusted input.
    ///
    /// Every limit is checked while reading (inflated sizes are counted as the bytes come out of the
    /// decompressor, never taken from the sizes an archive declares). A violation throws
    /// ``ResumeParsingError`` with code ``ResumeParsingError/Code/limitExceeded`` and
    /// ``ResumeParsingError/limit`` naming the limit.
    ///
    /// ```swift
    /// var configuration = ResumeParser.Configuration()
    /// configuration.maximumInputSize = 2 * 1024 * 1024
    /// let parser = ResumeParser(configuration: configuration)
    /// ```
    public struct Configuration: Sendable, Hashable {
        /// The largest input accepted, in bytes. Default: 10 MiB.
        public var maximumInputSize: Int
        /// The most entries a zip archive may list. Default: 1,000 (as Apache POI).
        public var maximumArchiveEntryCount: Int
        /// The most bytes one archive part may inflate to. Default: 32 MiB.
        public var maximumInflatedPartSize: Int
        /// The most bytes all parts read from one archive may inflate to. Default: 64 MiB.
        public var maximumInflatedTotalSize: Int
        /// The highest ratio of inflated to compressed size for one part, checked once the part has
        /// inflated past ``compressionRatioThreshold``. Default: 100 (as Apache POI).
        public var maximumCompressionRatio: Double
        /// The inflated size after which ``maximumCompressionRatio`` applies. Default: 100 KiB.
        public var compressionRatioThreshold: Int
        /// The deepest element nesting accepted in an XML part. Default: 128 (libxml2 itself stops at 256).
        public var maximumXMLNestingDepth: Int
        /// The longest single piece of markup in an XML part: one tag with its attributes, a comment or a
        /// processing instruction (text between tags is not limited by this). libxml2 holds such a piece
        /// whole and rescans it as more arrives, so an unterminated one would cost time that grows with the
        /// square of its length. Default: 64 KiB (in real Word documents the longest is a few KiB: the root
        /// element with its namespace declarations).
        public var maximumXMLMarkupLength: Int
        /// The longest text produced, in UTF-8 bytes. Default: 2 MiB (a long resume is under 50 KiB).
        public var maximumTextLength: Int

        /// Creates a configuration with the documented defaults, changing only what is given.
        public init(
            maximumInputSize: Int = 10 * 1024 * 1024,
            maximumArchiveEntryCount: Int = 1_000,
            maximumInflatedPartSize: Int = 32 * 1024 * 1024,
            maximumInflatedTotalSize: Int = 64 * 1024 * 1024,
            maximumCompressionRatio: Double = 100,
            compressionRatioThreshold: Int = 100 * 1024,
            maximumXMLNestingDepth: Int = 128,
            maximumTextLength: Int = 2 * 1024 * 1024,
            maximumXMLMarkupLength: Int = 64 * 1024
        ) {
            self.maximumInputSize = maximumInputSize
            self.maximumArchiveEntryCount = maximumArchiveEntryCount
            self.maximumInflatedPartSize = maximumInflatedPartSize
            self.maximumInflatedTotalSize = maximumInflatedTotalSize
            self.maximumCompressionRatio = maximumCompressionRatio
            self.compressionRatioThreshold = compressionRatioThreshold
            self.maximumXMLNestingDepth = maximumXMLNestingDepth
            self.maximumTextLength = maximumTextLength
            self.maximumXMLMarkupLength = maximumXMLMarkupLength
        }
    }
}
