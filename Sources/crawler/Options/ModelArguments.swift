import ArgumentParser
import CrawlerCore

extension FetchModel: ExpressibleByArgument {}
extension ParseModel: ExpressibleByArgument {}
extension CrawlScope: ExpressibleByArgument {}
