select meta from _meta
